using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components.Pages;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>The sweep builder's submission, cloning, training-time estimate and guard warnings, over a real database.</summary>
public sealed class SweepBuilderSubmissionTests(ComponentDatabase db) : IClassFixture<ComponentDatabase>
{
    [Fact]
    public async Task Submitting_creates_the_sweep_and_opens_it()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);
        await cut.Find("#field-name").InputAsync(new ChangeEventArgs { Value = "builder-submit" });
        await cut.Find("#field-training-epochs").InputAsync(new ChangeEventArgs { Value = "2" });
        await cut.Find("#field-training-trainSubset").InputAsync(new ChangeEventArgs { Value = "512" });
        await cut.Find("#field-grid-batchSize").InputAsync(new ChangeEventArgs { Value = "128, 256" });

        await cut.Find("form.builder").SubmitAsync();

        var navigation = context.Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches("/sweeps/[0-9a-f-]{36}$", navigation.Uri), TimeSpan.FromSeconds(30));
        var id = Guid.Parse(navigation.Uri[^36..]);
        var spec = await db.Query<SweepSpecQuery>().SpecAsync(id, CancellationToken.None);
        Assert.NotNull(spec);
        Assert.Equal("builder-submit", spec.Name);
        Assert.Equal(2, spec.Training.Epochs);
        Assert.Equal(512, spec.Training.TrainSubset);
        Assert.Equal([128, 256], spec.Grid.BatchSize);
        Assert.Equal(5.0, spec.Training.GradientClipNorm);
        Assert.Equal(db.AdminId, await db.Database.ScalarAsync<Guid>($"SELECT created_by FROM sweeps WHERE id = '{id}'"));
    }

    [Fact]
    public async Task Errors_from_the_server_are_shown_next_to_the_field_they_name()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);
        var before = db.Queue.Enqueued.Count;

        await cut.Find("form.builder").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Contains("A sweep needs a name.", cut.Find("#error-name").TextContent), TimeSpan.FromSeconds(30));
        Assert.Contains("error-name", cut.Find("#field-name").GetAttribute("aria-describedby"));
        Assert.Contains("not created", cut.Find("#submit-status").TextContent);
        Assert.Equal(before, db.Queue.Enqueued.Count);
        Assert.EndsWith("/sweeps/new", context.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task A_form_with_unparsed_input_is_not_sent()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);
        await cut.Find("#field-name").InputAsync(new ChangeEventArgs { Value = "never-sent" });
        await cut.Find("#field-grid-ghostBatchSize").InputAsync(new ChangeEventArgs { Value = "12a" });

        await cut.Find("form.builder").SubmitAsync();

        Assert.Contains("not numbers", cut.Find("#submit-status").TextContent);
        Assert.Contains("\"12a\"", cut.Find("#error-grid-ghostBatchSize").TextContent);
        Assert.EndsWith("/sweeps/new", context.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task Cloning_prefills_the_stored_spec()
    {
        var source = new SweepRequest
        {
            Name = "clone-source",
            Dataset = "cifar100",
            Model = "wrn16-4",
            Grid = new GridSpec { BatchSize = [128, 1024], GhostBatchSize = [128], RegimeMultiplier = [RegimeMultiplier.Auto], RunningStats = [RunningStatsPolicy.Sequential, RunningStatsPolicy.Mean] },
            Training = new TrainingRequest { Epochs = 3, Seeds = [4, 5], TrainSubset = 2048, GradientClipNorm = null, WarmupEpochs = 2 },
            Device = "cuda",
            MaxAttempts = 5,
        }.ToSpec();
        var id = await db.CreateSweepAsync(source);
        using var context = db.CreateContext();

        var cut = BuilderPage.Render(context, $"/sweeps/new?from={id}");

        cut.WaitForAssertion(() => Assert.Equal("clone-source (copy)", cut.Find("#field-name").GetAttribute("value")), TimeSpan.FromSeconds(30));
        Assert.Equal("wrn16-4", cut.Find("#field-model").GetAttribute("value"));
        Assert.Equal("cifar100", cut.Find("#field-dataset").GetAttribute("value"));
        Assert.Equal("cuda", cut.Find("#field-device").GetAttribute("value"));
        Assert.Equal("5", cut.Find("#field-maxAttempts").GetAttribute("value"));
        Assert.Equal("128, 1024", cut.Find("#field-grid-batchSize").GetAttribute("value"));
        Assert.Equal("auto", cut.Find("#field-grid-regimeMultiplier").GetAttribute("value"));
        Assert.Equal("4, 5", cut.Find("#field-training-seeds").GetAttribute("value"));
        Assert.Equal("2048", cut.Find("#field-training-trainSubset").GetAttribute("value"));
        Assert.Equal("", cut.Find("#field-training-gradientClipNorm").GetAttribute("value"));
        Assert.Equal("2", cut.Find("#field-training-warmupEpochs").GetAttribute("value"));
        Assert.True(cut.Find("#axis-runningStats-mean").HasAttribute("checked"));
        Assert.False(cut.Find("#axis-runningStats-recompute").HasAttribute("checked"));
        Assert.Contains("clone-source", cut.Find("#clone-notice").TextContent);

        // 2 batch sizes × 2 seeds × 2 policies.
        Assert.StartsWith("8 cells", BuilderPage.CellCount(cut));
    }

    [Fact]
    public async Task Training_time_is_estimated_from_completed_trials_of_the_same_model_and_dataset()
    {
        var id = await db.CreateSweepAsync(new SweepRequest
        {
            Name = "measured",
            Dataset = "cifar10",
            Model = "resnet20",
            Grid = new GridSpec { BatchSize = [128], GhostBatchSize = [128] },
            Training = new TrainingRequest { Epochs = 2, TrainSubset = 1000 },
        }.ToSpec());

        // 2 epochs of 1,000 samples and 3 evaluations of 1,000 + 10,000: 13,000 units in 20 s of trainer time, 23 s in all.
        await db.ExecuteAsync($$"""
            UPDATE trials SET state = 'completed', current_epoch = 2, final_wall_seconds = 20, final_val_accuracy = 0.5,
                started_at = now() - interval '23 seconds', finished_at = now(), environment = '{"device": "cpu"}'::jsonb
            WHERE sweep_id = '{{id}}'
            """);
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);
        Assert.Contains("No estimate", cut.Find("#estimate").TextContent);

        await cut.Find("#field-model").ChangeAsync(new ChangeEventArgs { Value = "resnet20" });
        await cut.Find("#field-dataset").ChangeAsync(new ChangeEventArgs { Value = "cifar10" });
        await cut.Find("#field-grid-batchSize").InputAsync(new ChangeEventArgs { Value = "128" });
        await cut.Find("#field-grid-regimeMultiplier").InputAsync(new ChangeEventArgs { Value = "1" });
        await cut.Find("#field-training-epochs").InputAsync(new ChangeEventArgs { Value = "1" });

        // One cell of 1 epoch over 50,000 samples and 2 evaluations of 60,000: 90,000 units at 20 / 13,000 s, plus 3 s of
        // start-up: 141.5 s. Training epochs alone, at 20 s per 2,000 sample-epochs, said 8 min.
        cut.WaitForAssertion(() => Assert.Contains("about 2 min on one worker", cut.Find("#estimate").TextContent), TimeSpan.FromSeconds(30));
        Assert.Contains("with 3 s of start-up per trial", cut.Find("#estimate").TextContent);
        Assert.Contains("1 completed trial of resnet20 on cifar10", cut.Find("#estimate").TextContent);
    }

    [Fact]
    public async Task The_old_studys_large_batch_cell_is_warned_about_before_submit()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);
        Assert.Empty(cut.FindAll("#sweep-warnings"));

        // The old study's LB cell: F1 on 8,192 Fashion-MNIST samples, 6 epochs, B = G = 4096 (12 updates).
        await cut.Find("#field-grid-batchSize").InputAsync(new ChangeEventArgs { Value = "4096" });
        await cut.Find("#field-grid-ghostBatchSize").InputAsync(new ChangeEventArgs { Value = "4096" });
        await cut.Find("#field-grid-regimeMultiplier").InputAsync(new ChangeEventArgs { Value = "1" });
        await cut.Find("#field-training-trainSubset").InputAsync(new ChangeEventArgs { Value = "8192" });
        await cut.Find("#field-training-epochs").InputAsync(new ChangeEventArgs { Value = "6" });
        await cut.Find("#field-training-lrDropEpochs").InputAsync(new ChangeEventArgs { Value = "3, 5" });

        Assert.StartsWith("1 cell", BuilderPage.CellCount(cut));
        var few = cut.Find("#warning-few-updates");
        Assert.Contains("few updates", few.TextContent);
        Assert.Contains("B = G = 4096: 12 updates", few.TextContent);
        var stats = cut.Find("#warning-running-stats");
        Assert.Contains("running stats", stats.TextContent);
        Assert.Contains("B = G = 4096: 28.2 %", stats.TextContent);

        // The warnings do not block: the button stays enabled.
        Assert.False(cut.Find("#create").HasAttribute("disabled"));

        // The SB cell (B = G = 128: 384 updates, statistics converged) raises neither.
        await cut.Find("#field-grid-batchSize").InputAsync(new ChangeEventArgs { Value = "128" });
        await cut.Find("#field-grid-ghostBatchSize").InputAsync(new ChangeEventArgs { Value = "128" });
        Assert.StartsWith("1 cell", BuilderPage.CellCount(cut));
        Assert.Empty(cut.FindAll("#sweep-warnings"));
    }
}
