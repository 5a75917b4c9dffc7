using Hangfire;
using Hangfire.Dashboard;

namespace Sweep.Web.Access;

/// <summary>
/// The Hangfire dashboard shows every job's arguments and can delete jobs: administrators only, and read-only for
/// anyone who may not write. Bearer tokens do not authenticate outside /api, so only a signed-in session reaches it;
/// the read-only rule keeps it safe should a read-only credential ever get here.
/// </summary>
internal sealed class AdminDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsAdmin();

    public static DashboardOptions Options(string title) => new()
    {
        DashboardTitle = title,
        Authorization = [new AdminDashboardFilter()],
        IsReadOnlyFunc = context => !context.GetHttpContext().User.MayWrite(),
        DisplayNameFunc = Hosting.TrialJobDisplayNames.Describe,
    };
}
