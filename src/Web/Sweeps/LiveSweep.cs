namespace Sweep.Web.Sweeps;

/// <summary>
/// A sweep as a live page last read it, and the watermark the next read starts from: the oldest transaction still
/// running when it was read (see <see cref="LiveSweepQuery.RefreshAsync"/>).
/// </summary>
public sealed record LiveSweep(SweepDetail Detail, long Watermark);
