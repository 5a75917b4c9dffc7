using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Data;
using Sweep.Domain.Sweeps;
using Sweep.Testing;
using Sweep.Web.Access;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>
/// A migrated database of the throwaway PostgreSQL and the real read and write services over it, for bUnit tests of
/// pages that query or create sweeps. The queue only records what it was given: no worker runs here.
/// </summary>
public sealed class ComponentDatabase : IAsyncLifetime
{
    public const string AdminEmail = "admin@sweep.test";

    public TestDatabase Database { get; private set; } = null!;

    public RecordingQueue Queue { get; } = new();

    /// <summary>The signed-in administrator's account: a real row, since sweeps record their creator (a foreign key).</summary>
    public Guid AdminId { get; } = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await Database.ScalarAsync<long>($"""
            INSERT INTO users (id, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed,
                               phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
            VALUES ('{AdminId}', now(), '{AdminEmail}', '{AdminEmail.ToUpperInvariant()}', '{AdminEmail}', '{AdminEmail.ToUpperInvariant()}',
                    true, false, false, false, 0)
            RETURNING 1::bigint
            """);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();

    /// <summary>A bUnit context with Sweep's services and loose JS interop (Plotly's calls return defaults).</summary>
    public BunitContext CreateContext()
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddSweepDbContext(Database.ConnectionString);
        context.Services.AddSingleton<ITrialQueue>(Queue);
        context.Services.AddSingleton(SweepLimits.Default);
        context.Services.AddSingleton(TimeProvider.System);
        context.Services.AddScoped<SweepCreation>();
        context.Services.AddSweepQueries();
        context.Services.AddScoped<TrialSpeedReader>();
        context.Services.AddScoped<SweepProgressReader>();

        // Pages ask who the caller is: here an administrator, who may read and create in every project.
        context.AddAuthorization()
            .SetAuthorized(AdminEmail)
            .SetRoles(SweepClaims.AdminRole)
            .SetClaims(new Claim(ClaimTypes.NameIdentifier, AdminId.ToString()));
        context.Services.AddHttpContextAccessor();
        context.Services.AddScoped<CallerRevalidation>();
        context.Services.AddScoped<CurrentCaller>();
        context.Services.AddScoped<ShareLinks>();
        context.Services.AddScoped<SweepAccess>();
        context.Services.AddScoped<Projects>();
        return context;
    }

    /// <summary>A service over this database, for setting up rows the way the app writes them.</summary>
    public SweepCreation Service()
    {
        var services = new ServiceCollection();
        services.AddSweepDbContext(Database.ConnectionString);
        services.AddSingleton<ITrialQueue>(Queue);
        services.AddSingleton(SweepLimits.Default);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SweepCreation>();
        AddReader(services);
        return services.BuildServiceProvider().GetRequiredService<SweepCreation>();
    }

    /// <summary>One of the sweep queries (<see cref="SweepQueriesHostingExtensions.AddSweepQueries"/>) over this database, as an administrator.</summary>
    public T Query<T>()
        where T : notnull
    {
        var services = new ServiceCollection();
        services.AddSweepDbContext(Database.ConnectionString);
        services.AddSingleton(TimeProvider.System);
        AddReader(services);
        return services.BuildServiceProvider().GetRequiredService<T>();
    }

    /// <summary>The sweep page's progress reader (ETA, workers, queue ahead) over this database, as an administrator.</summary>
    public SweepProgressReader ProgressReader()
    {
        var services = new ServiceCollection();
        services.AddSweepDbContext(Database.ConnectionString);
        services.AddSingleton(TimeProvider.System);
        AddReader(services);
        services.AddSingleton<TrialSpeedReader>();
        services.AddSingleton<SweepProgressReader>();
        return services.BuildServiceProvider().GetRequiredService<SweepProgressReader>();
    }

    /// <summary>
    /// The sweep queries with the access they always need, for setting up and reading rows outside a page: the caller is an
    /// administrator (the framework's server authentication state), who reads every project.
    /// </summary>
    private static void AddReader(ServiceCollection services)
    {
        var admin = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(ClaimTypes.Role, SweepClaims.AdminRole)], "test"));
        var authentication = new ServerAuthenticationStateProvider();
        authentication.SetAuthenticationState(Task.FromResult(new AuthenticationState(admin)));
        services.AddSingleton<AuthenticationStateProvider>(authentication);
        services.AddHttpContextAccessor();
        services.AddOptions();
        services.AddSingleton<CallerRevalidation>();
        services.AddSingleton<CurrentCaller>();
        services.AddSingleton<ShareLinks>();
        services.AddSingleton<SweepAccess>();
        services.AddSweepQueries();
    }

    public async Task<Guid> CreateSweepAsync(SweepSpec spec)
    {
        var (created, errors) = await Service().CreateAsync(spec, CancellationToken.None);
        Assert.True(created is not null, string.Join("; ", errors.SelectMany(e => e.Value)));
        return created!.Id;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class RecordingQueue : ITrialQueue
{
    public List<Guid> Enqueued { get; } = [];

    public void Enqueue(IEnumerable<(Guid TrialId, int Priority)> trials, string target)
    {
        lock (Enqueued)
        {
            Enqueued.AddRange(trials.Select(t => t.TrialId));
        }
    }
}
