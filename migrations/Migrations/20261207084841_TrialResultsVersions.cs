using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sweep.Data.Migrations
{
    /// <inheritdoc />
    public partial class TrialResultsVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "results_version",
                table: "trials",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // ADR 0013. A trial's results_version takes a new value of one sequence whenever its results change: an
            // insert, an update of any column but the lease's, its priority and its note, and any write to its metric
            // points. nextval is neither transactional nor locking, and the trigger runs on the row its statement already
            // holds, so no writer waits on another. Rows that exist keep 0: only later changes need a new value.
            migrationBuilder.Sql("""
                CREATE SEQUENCE trial_results_versions;

                CREATE FUNCTION trials_results_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT'
                       OR (to_jsonb(NEW) - ARRAY['lease_owner', 'lease_expires_at', 'lease_generation', 'priority', 'notes', 'results_version'])
                          IS DISTINCT FROM
                          (to_jsonb(OLD) - ARRAY['lease_owner', 'lease_expires_at', 'lease_generation', 'priority', 'notes', 'results_version'])
                    THEN
                        NEW.results_version := nextval('trial_results_versions');
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER trials_results_version BEFORE INSERT OR UPDATE ON trials
                    FOR EACH ROW EXECUTE FUNCTION trials_results_version();

                -- Once per statement (a metric upsert writes many points of one trial, a restore copies millions).
                CREATE FUNCTION metric_points_results_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE trials SET results_version = nextval('trial_results_versions')
                     WHERE id IN (SELECT DISTINCT trial_id FROM changed_points);
                    RETURN NULL;
                END $$;

                CREATE TRIGGER metric_points_inserted_results_version AFTER INSERT ON metric_points
                    REFERENCING NEW TABLE AS changed_points FOR EACH STATEMENT EXECUTE FUNCTION metric_points_results_version();
                CREATE TRIGGER metric_points_updated_results_version AFTER UPDATE ON metric_points
                    REFERENCING NEW TABLE AS changed_points FOR EACH STATEMENT EXECUTE FUNCTION metric_points_results_version();
                CREATE TRIGGER metric_points_deleted_results_version AFTER DELETE ON metric_points
                    REFERENCING OLD TABLE AS changed_points FOR EACH STATEMENT EXECUTE FUNCTION metric_points_results_version();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER metric_points_deleted_results_version ON metric_points;
                DROP TRIGGER metric_points_updated_results_version ON metric_points;
                DROP TRIGGER metric_points_inserted_results_version ON metric_points;
                DROP FUNCTION metric_points_results_version();
                DROP TRIGGER trials_results_version ON trials;
                DROP FUNCTION trials_results_version();
                DROP SEQUENCE trial_results_versions;
                """);
            migrationBuilder.DropColumn(
                name: "results_version",
                table: "trials");
        }
    }
}
