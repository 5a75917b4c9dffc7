using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Testing;

namespace Sweep.Migrations.Tests;

/// <summary>
/// Fixtures copy their schema from one migrated template instead of migrating (TestDatabase.CreateAsync): the copy
/// must be exactly what the migrations make, Hangfire's tables, the indexes and the triggers included.
/// </summary>
public sealed class TemplateDatabaseTests
{
    private static readonly string[] SchemaQueries =
    [
        """
        SELECT string_agg(table_schema || '.' || table_name || '.' || column_name || ':' || data_type || ':' || is_nullable, ','
                          ORDER BY table_schema, table_name, column_name)
          FROM information_schema.columns WHERE table_schema IN ('public', 'hangfire')
        """,
        "SELECT string_agg(indexdef, ',' ORDER BY indexdef) FROM pg_indexes WHERE schemaname IN ('public', 'hangfire')",
        "SELECT string_agg(event_object_table || '.' || trigger_name, ',' ORDER BY event_object_table, trigger_name) FROM information_schema.triggers",
        "SELECT string_agg(migration_id, ',' ORDER BY migration_id) FROM ef_migrations_history",
    ];

    [Fact]
    public async Task A_database_copied_from_the_template_has_the_schema_that_the_migrations_make()
    {
        await using var copied = await TestDatabase.CreateAsync();
        await using var migrated = await TestDatabase.CreateMigratedAsync();

        foreach (var query in SchemaQueries)
        {
            Assert.Equal(await migrated.ScalarAsync<string>(query), await copied.ScalarAsync<string>(query));
        }

        Assert.True(await copied.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'hangfire'") > 0);
        var options = new DbContextOptionsBuilder<SweepDbContext>();
        SweepDatabase.Configure(options, copied.ConnectionString);
        await using var db = new SweepDbContext(options.Options);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}
