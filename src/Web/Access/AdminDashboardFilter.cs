using Hangfire.Dashboard;

namespace Sweep.Web.Access;

/// <summary>The Hangfire dashboard shows every job's arguments and can delete jobs: administrators only.</summary>
internal sealed class AdminDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsAdmin();
}
