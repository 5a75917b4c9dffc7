using Microsoft.Extensions.DependencyInjection;
using Sweep.Data;
using Sweep.Data.Commands;

namespace Sweep.Testing;

/// <summary>The named state commands (src/Data/Commands) over a test database, wired as every host wires them.</summary>
public sealed class TestCommands(string connectionString) : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddSweepDbContext(connectionString).BuildServiceProvider();

    public TrialCommands Trials => _services.GetRequiredService<TrialCommands>();

    public SweepCommands Sweeps => _services.GetRequiredService<SweepCommands>();

    public WorkerCommands Workers => _services.GetRequiredService<WorkerCommands>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
