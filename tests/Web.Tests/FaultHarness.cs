using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Sweep.Testing;

namespace Sweep.Web.Tests;

/// <summary>
/// A fresh database, the real Web app in process, and real worker processes: the parts a fault test breaks.
/// Every test gets its own harness, so that no worker of one test picks up another test's trials.
/// </summary>
public sealed class FaultHarness : IAsyncDisposable
{
    private static readonly JsonSerializerOptions OmitNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly List<WorkerProcess> _workers = [];

    private readonly Lazy<string> _smallData = new(() =>
        SyntheticIdxDataset.Create(Directory.CreateTempSubdirectory("sweep-small-data-").FullName, trainCount: 1000, testCount: 500));

    private FaultHarness(SweepWebFactory web, HttpClient client)
    {
        Web = web;
        Client = client;
    }

    public SweepWebFactory Web { get; }

    public HttpClient Client { get; }

    public TestDatabase Database => Web.Database;

    /// <summary>
    /// A folder of 1,000 training and 500 test images in Fashion-MNIST's file format, for a worker's
    /// <c>Worker:DataDir</c>. For tests whose trials only have to run to the end: the trainer then reads and evaluates
    /// 1,500 images per trial instead of 70,000. A trial that must stay running while the test breaks something, or run
    /// out of memory, keeps the real dataset.
    /// </summary>
    public string SmallData => _smallData.Value;

    public static async Task<FaultHarness> StartAsync()
    {
        var web = new SweepWebFactory();
        await web.InitializeAsync();
        return new FaultHarness(web, web.CreateClient());
    }

    /// <summary>
    /// Starts a worker with short leases and beats, so that faults are noticed within seconds; through
    /// <paramref name="connectionString"/> when given (e.g. a <see cref="TcpProxy"/> route), else straight to the database.
    /// </summary>
    public WorkerProcess StartWorker(string name, Dictionary<string, string>? settings = null, string? connectionString = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Worker__LeaseSeconds"] = "6",
            ["Worker__HeartbeatSeconds"] = "1",
            ["Worker__RegistrySeconds"] = "1",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var worker = new WorkerProcess(connectionString ?? Database.ConnectionString, name, all);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>
    /// Starts a worker the way a separate host would: from a configuration directory of its own, whose
    /// appsettings.json names the worker and the shared database; nothing comes from this process's environment.
    /// </summary>
    public WorkerProcess StartWorkerFromDirectory(string name, string folder, string? dataDir = null)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            ConnectionStrings = new { Sweep = Database.ConnectionString },
            // Workers standing in for hosts share this machine's cores: one libtorch thread each, as `./sweep up`
            // splits the cores between the workers of one host.
            Worker = new { Name = name, Device = "cpu", LeaseSeconds = 6, HeartbeatSeconds = 1, RegistrySeconds = 1, DataDir = dataDir, TrainerThreads = 1 },
            Logging = new { LogLevel = new Dictionary<string, string> { ["Default"] = "Information", ["Microsoft.EntityFrameworkCore"] = "Warning" } },
        }, OmitNulls));
        var worker = new WorkerProcess(null, name, null, folder);
        _workers.Add(worker);
        return worker;
    }

    public async Task<Guid> PostSweepAsync(string json)
    {
        var response = await Client.PostAsync("/api/v1/sweeps", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static string Sweep(string name, string grid, string training, string extra = "") => $$"""
        {
          "name": "{{name}}", "dataset": "fashion-mnist", "model": "f1",
          "grid": {{grid}},
          "training": {{training}}{{extra}}
        }
        """;

    public async Task<List<TrialRow>> TrialsAsync(Guid sweepId)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT t.id, t.state, t.attempt, t.current_epoch, t.failure_kind, t.error,
                   (SELECT c.epoch FROM trial_checkpoints c WHERE c.trial_id = t.id)
              FROM trials t WHERE t.sweep_id = @id ORDER BY t.batch_size, t.seed
            """,
            connection);
        command.Parameters.AddWithValue("id", sweepId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<TrialRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new TrialRow(
                reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6)));
        }

        return rows;
    }

    /// <summary>Polls until the condition holds, failing with the workers' output after the timeout.</summary>
    public async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (NpgsqlException ex) when (ex.IsTransient || ex is PostgresException { SqlState: "57P01" })
            {
                // The database is restarting under the test; pooled connections to the old server are dead.
                NpgsqlConnection.ClearAllPools();
            }

            await Task.Delay(200);
        }

        Assert.Fail($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}.\n{WorkerOutput()}");
        return null!;
    }

    public Task<List<TrialRow>> WaitForFinalAsync(Guid sweepId, TimeSpan timeout) =>
        WaitForAsync(async () =>
        {
            var trials = await TrialsAsync(sweepId);
            return trials.All(t => t.State is "completed" or "failed" or "cancelled") ? trials : null;
        }, timeout, $"sweep {sweepId} to finish");

    public string WorkerOutput() => string.Join("\n\n", _workers.Select(w => $"--- {w.Name} ---\n{w.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        Client.Dispose();
        await ((IAsyncLifetime)Web).DisposeAsync();
        if (_smallData.IsValueCreated)
        {
            Directory.Delete(_smallData.Value, recursive: true);
        }
    }
}

public sealed record TrialRow(Guid Id, string State, int Attempt, int CurrentEpoch, string? FailureKind, string? Error, int? CheckpointEpoch);
