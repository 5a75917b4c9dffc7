namespace Sweep.Web.Components;

/// <summary>
/// The pages a share link opens, under the link's own path (relative to the app's base): its sweep at /s/{token} and
/// that sweep's trials at /s/{token}/trials/{id}. A signed-out visitor stays inside these, where the link grants reading.
/// </summary>
public static class SharePaths
{
    public static string Sweep(string token) => "s/" + Uri.EscapeDataString(token);

    public static string Trial(string token, Guid trialId) => $"{Sweep(token)}/trials/{trialId}";

    /// <summary>Where a trial link goes: under the share link when the page is shared, else the trial's own page.</summary>
    public static string TrialOrShared(string? token, Guid trialId) => token is null ? $"trials/{trialId}" : Trial(token, trialId);
}
