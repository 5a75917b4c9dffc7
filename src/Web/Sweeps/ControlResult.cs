namespace Sweep.Web.Sweeps;

/// <summary>How a lifecycle action ended: done, nothing to act on, or refused by the row's current state.</summary>
public enum ControlResult
{
    Done,
    NotFound,
    Conflict,
}
