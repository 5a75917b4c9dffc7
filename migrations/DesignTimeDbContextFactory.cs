using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Sweep.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a host; it never connects.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<SweepDbContext>
{
    public SweepDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Sweep")
            ?? "Host=127.0.0.1;Port=55432;Database=sweep;Username=sweep";
        var options = new DbContextOptionsBuilder<SweepDbContext>();
        SweepDatabase.Configure(options, connectionString);
        return new SweepDbContext(options.Options);
    }
}
