namespace Sweep.Web.Api;

/// <summary>
/// A heatmap answer's version (ADR 0013): the sweep's results version, the request's cache key, and the ETag that
/// names both.
/// </summary>
public sealed record HeatmapVersion(string Results, string Key, string ETag);
