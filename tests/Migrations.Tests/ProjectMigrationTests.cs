using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Testing;

namespace Sweep.Migrations.Tests;

/// <summary>Adding projects keeps every stored sweep, its trials and metrics, and files the sweeps under the default project.</summary>
public sealed class ProjectMigrationTests
{
    [Fact]
    public async Task Sweeps_stored_before_projects_move_into_the_default_project_with_nothing_lost()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        var options = new DbContextOptionsBuilder<SweepDbContext>();
        SweepDatabase.Configure(options, database.ConnectionString);
        await using var db = new SweepDbContext(options.Options);
        var migrations = db.Database.GetMigrations().ToList();
        var accounts = migrations.Single(m => m.EndsWith("_AccountsAndProjects", StringComparison.Ordinal));
        var before = migrations[migrations.IndexOf(accounts) - 1];
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(before);

        var sweep = Guid.NewGuid();
        var spec = "{\"name\":\"old\"}";
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at) VALUES ({sweep}, 'old', 'fashion-mnist', 'f1', CAST({spec} AS jsonb), 0, now())");
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, state, attempt, current_epoch, total_epochs, created_at) VALUES (gen_random_uuid(), {sweep}, 128, 32, 1, 1, 'completed', 1, 1, 1, now())");

        await migrator.MigrateAsync();

        Assert.Equal(ProjectRecord.DefaultId, await database.ScalarAsync<Guid>($"SELECT project_id FROM sweeps WHERE id = '{sweep}'"));
        Assert.Equal("old", await database.ScalarAsync<string>($"SELECT spec->>'name' FROM sweeps WHERE id = '{sweep}'"));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM trials WHERE sweep_id = '{sweep}'"));
        // Private since DefaultProjectIsPrivate: only its members (every account made before then) read it.
        Assert.Equal("private", await database.ScalarAsync<string>($"SELECT visibility FROM projects WHERE slug = '{ProjectRecord.DefaultSlug}'"));

        // A writer that knows nothing of projects still lands in the default project.
        var later = Guid.NewGuid();
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at) VALUES ({later}, 'later', 'fashion-mnist', 'f1', '{{}}', 0, now())");
        Assert.Equal(ProjectRecord.DefaultId, await database.ScalarAsync<Guid>($"SELECT project_id FROM sweeps WHERE id = '{later}'"));
    }
}
