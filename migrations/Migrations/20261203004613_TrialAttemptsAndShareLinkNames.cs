using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sweep.Data.Migrations
{
    /// <inheritdoc />
    public partial class TrialAttemptsAndShareLinkNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "name",
                table: "share_links",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "trial_attempts",
                columns: table => new
                {
                    trial_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    worker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    failure_kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trial_attempts", x => new { x.trial_id, x.number });
                    table.ForeignKey(
                        name: "fk_trial_attempts_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The attempt history is written by the database: every statement that moves a trial (the worker's claim,
            // completion, failure and release, the reaper, a cancel from the web) goes through this one trigger, so
            // no path can forget it. A run starts when a trial becomes running or is claimed again (attempt + 1, a
            // takeover after an expired lease); it ends when the trial leaves running or is taken over.
            migrationBuilder.Sql("""
                CREATE FUNCTION record_trial_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF OLD.state = 'running' AND (NEW.state <> 'running' OR NEW.attempt > OLD.attempt) THEN
                        UPDATE trial_attempts
                           SET ended_at = now(),
                               outcome = CASE
                                   WHEN NEW.state = 'running' THEN 'lost'
                                   WHEN NEW.state = 'queued' AND OLD.lease_expires_at < now() THEN 'lost'
                                   WHEN NEW.state = 'queued' THEN 'released'
                                   WHEN NEW.state = 'failed' AND NEW.failure_kind = 'lost' THEN 'lost'
                                   ELSE NEW.state END,
                               failure_kind = CASE WHEN NEW.state = 'failed' THEN NEW.failure_kind END,
                               error = CASE WHEN NEW.state = 'failed' THEN left(split_part(NEW.error, E'\n', 1), 500) END
                         WHERE trial_id = OLD.id AND ended_at IS NULL;
                    END IF;
                    IF NEW.state = 'running' AND NEW.lease_owner IS NOT NULL
                       AND (OLD.state <> 'running' OR NEW.attempt > OLD.attempt) THEN
                        INSERT INTO trial_attempts (trial_id, number, worker, started_at)
                        SELECT NEW.id, coalesce(max(number), 0) + 1, NEW.lease_owner, now()
                          FROM trial_attempts WHERE trial_id = NEW.id;
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER trials_record_attempt AFTER UPDATE OF state, attempt ON trials
                    FOR EACH ROW EXECUTE FUNCTION record_trial_attempt();

                -- Trials that ran before the history existed get one attempt each, from what their row remembers.
                INSERT INTO trial_attempts (trial_id, number, worker, started_at, ended_at, outcome, failure_kind, error)
                SELECT id, 1, coalesce(lease_owner, 'unknown (before attempt history)'), started_at,
                       CASE WHEN state = 'running' THEN NULL ELSE coalesce(finished_at, started_at) END,
                       CASE WHEN state IN ('completed', 'failed', 'cancelled') THEN state WHEN state = 'queued' THEN 'released' END,
                       CASE WHEN state = 'failed' THEN failure_kind END,
                       CASE WHEN state = 'failed' THEN left(split_part(error, E'\n', 1), 500) END
                  FROM trials WHERE started_at IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS trials_record_attempt ON trials;
                DROP FUNCTION IF EXISTS record_trial_attempt();
                """);
            migrationBuilder.DropTable(
                name: "trial_attempts");

            migrationBuilder.DropColumn(
                name: "name",
                table: "share_links");
        }
    }
}
