namespace Sweep.Web.Sweeps;

public sealed record SweepListPage(IReadOnlyList<SweepListItem> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
