using System.Diagnostics;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Web.Components.Pages;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>
/// 1,000 sweeps of 4 trials each, written in SQL, plus two with awkward names. Sweep i is paused when i % 10 == 0,
/// cancelled when i % 10 == 1; its trials: one completed (accuracy (i·37 mod 1000) / 1000, none when i % 11 == 0),
/// one completed with NaN when i % 7 == 0 (else failed), one running when i % 3 == 0 (else completed), one queued
/// when i % 4 == 0 (else completed).
/// </summary>
public sealed class SweepListFixture : IAsyncLifetime
{
    public const int Count = 1000;

    public ComponentDatabase Db { get; } = new();

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        await Db.ExecuteAsync($$"""
            INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at, state, max_attempts, queue)
            SELECT md5('sweep' || i)::uuid, 'bulk-' || lpad(i::text, 4, '0'),
                   CASE WHEN i % 2 = 0 THEN 'cifar10' ELSE 'fashion-mnist' END,
                   CASE WHEN i % 2 = 0 THEN 'resnet44' ELSE 'f1' END,
                   '{}'::jsonb, 0, now() - i * interval '1 minute',
                   CASE i % 10 WHEN 0 THEN 'paused' WHEN 1 THEN 'cancelled' ELSE 'active' END, 3, 'default'
            FROM generate_series(1, {{Count}}) i;

            INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, lr_scaling, gbn_implementation,
                                running_stats, state, attempt, priority, current_epoch, total_epochs, created_at, final_val_accuracy)
            SELECT gen_random_uuid(), md5('sweep' || i)::uuid, 128 * k, 128, 1, 1, 'sqrt', 'vectorized', 'sequential',
                   CASE k
                       WHEN 1 THEN 'completed'
                       WHEN 2 THEN CASE WHEN i % 7 = 0 THEN 'completed' ELSE 'failed' END
                       WHEN 3 THEN CASE WHEN i % 3 = 0 THEN 'running' ELSE 'completed' END
                       ELSE CASE WHEN i % 4 = 0 THEN 'queued' ELSE 'completed' END
                   END,
                   1, 0, 0, 3, now(),
                   CASE k
                       WHEN 1 THEN CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 37) % 1000) / 1000.0 END
                       WHEN 2 THEN CASE WHEN i % 7 = 0 THEN 'NaN'::double precision END
                   END
            FROM generate_series(1, {{Count}}) i, generate_series(1, 4) k;

            INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at, state, max_attempts, queue)
            VALUES (gen_random_uuid(), '100%_done', 'mnist', 'f1', '{}'::jsonb, 0, now() - interval '1 year', 'active', 3, 'default'),
                   (gen_random_uuid(), '100x-done', 'mnist', 'f1', '{}'::jsonb, 0, now() - interval '2 years', 'active', 3, 'default');
            """);
    }

    public Task DisposeAsync() => Db.DisposeAsync();

    public static double? Best(int i) => i % 11 == 0 ? null : (i * 37 % 1000) / 1000.0;

    public static string Status(int i) => (i % 10) switch
    {
        0 => SweepStatus.Paused,
        1 => SweepStatus.Cancelled,
        _ when i % 3 == 0 => SweepStatus.Running,
        _ when i % 4 == 0 => SweepStatus.Queued,
        _ => SweepStatus.Finished,
    };
}

[Collection(ProcessWideMeasurementCollection.Name)]
public sealed class SweepListTests(SweepListFixture fixture) : IClassFixture<SweepListFixture>
{
    private const int Total = SweepListFixture.Count + 2;

    private Task<SweepListPage> Search(SweepListQuery query) => fixture.Db.Query<SweepListPageQuery>().NumberedPageAsync(query, CancellationToken.None);

    [Fact]
    public async Task Pages_are_newest_first_with_counts_and_the_best_completed_accuracy()
    {
        var first = await Search(new SweepListQuery());
        var second = await Search(new SweepListQuery(Page: 2));

        Assert.Equal(Total, first.Total);
        Assert.Equal(41, first.PageCount);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"bulk-{i:0000}"), first.Items.Select(s => s.Name));
        Assert.Equal(Enumerable.Range(26, 25).Select(i => $"bulk-{i:0000}"), second.Items.Select(s => s.Name));

        // bulk-0063: active and 63 % 3 = 0, so running; its NaN trial is completed but does not count as the best.
        var third = await Search(new SweepListQuery(Page: 3));
        var s63 = third.Items[12];
        Assert.Equal("bulk-0063", s63.Name);
        Assert.Equal(SweepStatus.Running, s63.Status);
        Assert.Equal(new Dictionary<string, int> { ["queued"] = 0, ["running"] = 1, ["completed"] = 3, ["failed"] = 0, ["cancelled"] = 0 }, s63.Counts);
        Assert.Equal(SweepListFixture.Best(63), s63.BestValAccuracy);
        Assert.Equal(4, s63.TrialCount);
        Assert.Null(s63.Owner);
        Assert.All(first.Items.Select((s, i) => (s, i: i + 1)), x => Assert.Equal(SweepListFixture.Status(x.i), x.s.Status));
    }

    [Fact]
    public async Task The_last_page_is_partial_and_a_page_past_it_is_empty()
    {
        var last = await Search(new SweepListQuery(Page: 41));
        var past = await Search(new SweepListQuery(Page: 42));

        Assert.Equal(["100%_done", "100x-done"], last.Items.Select(s => s.Name));
        Assert.Equal(Total, last.Total);
        Assert.Empty(past.Items);
    }

    [Fact]
    public async Task Filters_combine_name_state_dataset_and_model()
    {
        var running = await Search(new SweepListQuery(Status: SweepStatus.Running, PageSize: 200));
        var pausedResnets = await Search(new SweepListQuery(Status: SweepStatus.Paused, Model: "resnet44", Dataset: "cifar10", PageSize: 200));
        var named = await Search(new SweepListQuery(Name: "BULK-099"));

        var expectedRunning = Enumerable.Range(1, SweepListFixture.Count).Count(i => SweepListFixture.Status(i) == SweepStatus.Running);
        Assert.Equal(expectedRunning, running.Total);
        Assert.All(running.Items, s => Assert.Equal(SweepStatus.Running, s.Status));
        Assert.Equal(100, pausedResnets.Total);
        Assert.All(pausedResnets.Items, s => Assert.Equal(("paused", "resnet44", "cifar10"), (s.State, s.Model, s.Dataset)));
        Assert.Equal(Enumerable.Range(990, 10).Select(i => $"bulk-{i:0000}"), named.Items.Select(s => s.Name));

        foreach (var status in SweepStatus.All)
        {
            var page = await Search(new SweepListQuery(Status: status));
            var expected = Enumerable.Range(1, SweepListFixture.Count).Count(i => SweepListFixture.Status(i) == status) + (status == SweepStatus.Finished ? 2 : 0);
            Assert.Equal(expected, page.Total);
        }
    }

    [Fact]
    public async Task Like_wildcards_in_the_name_filter_are_literal()
    {
        var percent = await Search(new SweepListQuery(Name: "100%_"));
        var underscore = await Search(new SweepListQuery(Name: "_done"));

        Assert.Equal(["100%_done"], percent.Items.Select(s => s.Name));
        Assert.Equal(["100%_done"], underscore.Items.Select(s => s.Name));
    }

    [Fact]
    public async Task Sorting_by_name_and_by_best_accuracy()
    {
        var byName = await Search(new SweepListQuery(Sort: SweepListSort.Name, Descending: false, PageSize: 3));
        var byBest = await Search(new SweepListQuery(Sort: SweepListSort.BestAccuracy, Descending: true, PageSize: 200));
        var worstLast = await Search(new SweepListQuery(Sort: SweepListSort.BestAccuracy, Descending: false, Page: 41));

        Assert.Equal(["100%_done", "100x-done", "bulk-0001"], byName.Items.Select(s => s.Name));
        var best = Enumerable.Range(1, SweepListFixture.Count).Max(i => SweepListFixture.Best(i));
        Assert.Equal(best, byBest.Items[0].BestValAccuracy);
        Assert.True(byBest.Items.Zip(byBest.Items.Skip(1)).All(p => p.First.BestValAccuracy >= p.Second.BestValAccuracy));

        // Sweeps without a result come last in either direction.
        Assert.All(worstLast.Items, s => Assert.Null(s.BestValAccuracy));
    }

    [Fact]
    public async Task A_page_is_one_query_and_stays_fast_with_a_thousand_sweeps()
    {
        var commands = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = _ => Interlocked.Increment(ref commands),
        };
        ActivitySource.AddActivityListener(listener);
        var reader = fixture.Db.Query<SweepListPageQuery>();
        await reader.NumberedPageAsync(new SweepListQuery(), CancellationToken.None);

        foreach (var query in new[]
        {
            new SweepListQuery(Page: 40),
            new SweepListQuery(Sort: SweepListSort.BestAccuracy, Page: 20),
            new SweepListQuery(Sort: SweepListSort.Name, Status: SweepStatus.Finished, Name: "bulk"),
        })
        {
            var before = Volatile.Read(ref commands);
            var watch = Stopwatch.StartNew();
            var page = await reader.NumberedPageAsync(query, CancellationToken.None);
            watch.Stop();

            Assert.NotEmpty(page.Items);
            Assert.True(watch.ElapsedMilliseconds < 1000, $"{query} took {watch.ElapsedMilliseconds} ms");
            Assert.Equal(1, Volatile.Read(ref commands) - before);
        }
    }

    [Fact]
    public void The_list_page_links_sorting_paging_and_new_sweeps()
    {
        using var context = fixture.Db.CreateContext();
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/?sort=name&dir=desc&dataset=cifar10&page=2");

        var cut = context.Render<Home>();

        cut.WaitForAssertion(() => Assert.Equal(25, cut.FindAll("tr.sweep-row").Count));
        var rows = cut.FindAll("tr.sweep-row");
        Assert.Equal("bulk-0950", rows[0].QuerySelector("td a")!.TextContent);
        Assert.Equal("Default", rows[0].QuerySelector("td.project a")!.TextContent);
        Assert.Equal("/projects/default/members", rows[0].QuerySelector("td.project a")!.GetAttribute("href"));
        Assert.NotNull(rows[0].QuerySelector(".statebar"));
        Assert.Contains("500 sweeps match; page 2 of 20", cut.Find("#sweep-total").TextContent);
        Assert.Equal("descending", cut.Find("#sort-name").ParentElement!.GetAttribute("aria-sort"));
        Assert.Equal("/?dataset=cifar10&sort=name&dir=asc", cut.Find("#sort-name").GetAttribute("href"));
        Assert.Equal("/?dataset=cifar10&sort=best&dir=desc", cut.Find("#sort-best").GetAttribute("href"));
        Assert.Equal("/?dataset=cifar10&sort=name&dir=desc&page=3", cut.Find("#page-next").GetAttribute("href"));
        Assert.Equal("/?dataset=cifar10&sort=name&dir=desc", cut.Find("#page-prev").GetAttribute("href"));
        Assert.Equal("/sweeps/new", cut.Find("#new-sweep").GetAttribute("href"));
        Assert.True(cut.Find("#filter-dataset option[value=cifar10]").HasAttribute("selected"));
    }

    [Fact]
    public void The_list_page_says_when_nothing_matches()
    {
        using var context = fixture.Db.CreateContext();
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/?q=no-such-sweep");

        var cut = context.Render<Home>();

        cut.WaitForAssertion(() => Assert.Contains("No sweep matches", cut.Find("#no-sweeps").TextContent));
        Assert.NotNull(cut.Find("#clear-filters"));
    }
}
