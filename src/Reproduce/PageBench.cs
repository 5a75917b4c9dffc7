using System.Globalization;
using Microsoft.Playwright;

namespace Sweep.Reproduce;

/// <summary>
/// <c>Sweep.Reproduce bench-page</c>, the driver of scripts/lib/bench_page.sh: opens sweep pages in Debian's headless
/// chromium as a signed-in user (through the sign-in form, as the browser tests do) and prints, per page, the time
/// from navigation start to the heatmap's trace drawn by Plotly (<c>#heatmap g.hm</c>, from the prerendered figure),
/// to the circuit's own chart drawn and clickable, how long the heatmap was blank in between, first byte, DOM ready,
/// the load event, and how many table rows the page rendered. A benchmark: it fails (exit 1, a message on stderr
/// with the browser console's errors) when a page never draws its heatmap, shows an error, or was not opened signed in.
/// </summary>
public static class PageBench
{
    private const string Usage =
        "usage: Sweep.Reproduce bench-page --url URL --email EMAIL --password PASSWORD --sweep LABEL=ID [--sweep …] [--runs N] [--timeout SECONDS] [--chromium PATH]";

    // Set up before the page's own scripts: the times (ms after navigation start) at which the heatmap's trace first
    // appears, at which it is gone again (the circuit replaced the prerendered chart) and back, and at which the
    // circuit's own chart is drawn and clickable (no prerendered figure left, heatmap-click.js attached).
    private const string HeatmapObserver = """
        (() => {
          const seen = () => {
            const now = performance.now();
            const chart = document.getElementById('heatmap');
            const drawn = !!(chart && chart.querySelector('g.hm'));
            if (drawn && window.__heatmapAt === undefined) window.__heatmapAt = now;
            if (!drawn && window.__heatmapAt !== undefined && window.__heatmapGoneAt === undefined) window.__heatmapGoneAt = now;
            if (drawn && window.__heatmapGoneAt !== undefined && window.__heatmapBackAt === undefined) window.__heatmapBackAt = now;
            if (drawn && window.__interactiveAt === undefined && chart.dataset.clickable === 'true' && !document.getElementById('heatmap-figure')) {
              window.__interactiveAt = now;
            }
          };
          new MutationObserver(seen).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-clickable'] });
        })();
        """;

    // Resolves with "heatmap" once drawn, or with what went wrong; null keeps waiting.
    private const string Outcome = """
        () => {
          if (window.__heatmapAt !== undefined && window.__interactiveAt !== undefined) return 'heatmap';
          if (location.pathname.startsWith('/account/login')) return 'the page asked to sign in';
          const banner = document.getElementById('blazor-error-ui');
          // Blazor shows the banner with an inline style; before app.css applies, its computed style is visible anyway.
          if (banner && banner.style.display === 'block') return 'the page shows its error banner';
          const problem = document.getElementById('heatmap-error');
          if (problem) return 'the heatmap shows an error: ' + problem.textContent;
          const title = document.querySelector('h1');
          if (title && title.textContent.includes('not found')) return 'the page says: ' + title.textContent;
          return null;
        }
        """;

    private const string FiguresScript = """
        () => ({
          heatmapMs: window.__heatmapAt,
          interactiveMs: window.__interactiveAt,
          blankMs: window.__heatmapGoneAt === undefined ? 0 : (window.__heatmapBackAt ?? window.__interactiveAt) - window.__heatmapGoneAt,
          loadMs: performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? 0,
          firstByteMs: performance.getEntriesByType('navigation')[0]?.responseStart ?? 0,
          domReadyMs: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? 0,
          trialRows: document.querySelectorAll('#trials tbody tr').length,
          allRows: document.querySelectorAll('tr').length,
          cells: Number(document.getElementById('heatmap-container')?.dataset.cells ?? 0),
        })
        """;

    private sealed record Options(Uri Url, string Email, string Password, IReadOnlyList<(string Label, Guid Id)> Sweeps, int Runs, int TimeoutSeconds, string Chromium);

    public sealed record Figures(double HeatmapMs, double InteractiveMs, double BlankMs, double LoadMs, double FirstByteMs, double DomReadyMs, int TrialRows, int AllRows, int Cells);

    public static async Task<int> RunAsync(string[] args)
    {
        Options options;
        try
        {
            options = Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        try
        {
            await MeasureAsync(options);
            return 0;
        }
        catch (Exception ex) when (ex is BenchFailed or PlaywrightException or TimeoutException)
        {
            Console.Error.WriteLine($"bench page: {ex.Message}");
            return 1;
        }
    }

    private static async Task MeasureAsync(Options options)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = options.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var session = await SignInAsync(browser, options);
        Console.WriteLine("| sweep | run | time to heatmap | to the circuit's heatmap | heatmap blank between | first byte | DOM ready | load event | trial rows rendered | all table rows | heatmap cells |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (label, id) in options.Sweeps)
        {
            var url = new Uri(options.Url, $"sweeps/{id}").ToString();
            // The first visit, printed but kept out of the median: nothing of this sweep is in the web's shared
            // sweep-page read yet (LiveSweepCache), and for the first sweep the server's first render JIT-compiles the page.
            Console.WriteLine(Row(label, "first", await OpenAsync(browser, session, url, options.TimeoutSeconds)));
            var runs = new List<Figures>();
            for (var run = 1; run <= options.Runs; run++)
            {
                var figures = await OpenAsync(browser, session, url, options.TimeoutSeconds);
                runs.Add(figures);
                Console.WriteLine(Row(label, run.ToString(CultureInfo.InvariantCulture), figures));
            }

            var median = new Figures(
                Median(runs, f => f.HeatmapMs), Median(runs, f => f.InteractiveMs), Median(runs, f => f.BlankMs), Median(runs, f => f.LoadMs),
                Median(runs, f => f.FirstByteMs), Median(runs, f => f.DomReadyMs), runs[^1].TrialRows, runs[^1].AllRows, runs[^1].Cells);
            Console.WriteLine(Row(label, "median", median));
        }
    }

    private static string Row(string label, string run, Figures f) =>
        $"| {label} | {run} | {f.HeatmapMs:F0} ms | {f.InteractiveMs:F0} ms | {f.BlankMs:F0} ms | {f.FirstByteMs:F0} ms | {f.DomReadyMs:F0} ms | {f.LoadMs:F0} ms | {f.TrialRows} | {f.AllRows} | {f.Cells} |";

    /// <summary>Signs in through the form once; every measured page starts from that session's cookie.</summary>
    private static async Task<string> SignInAsync(IBrowser browser, Options options)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(new Uri(options.Url, "account/login").ToString());
        await page.FillAsync("#email", options.Email);
        await page.FillAsync("#password", options.Password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(new Uri(options.Url, "/").ToString());
        return await context.StorageStateAsync();
    }

    /// <summary>One visit in a fresh context (no cached page state): navigation start → heatmap trace drawn.</summary>
    private static async Task<Figures> OpenAsync(IBrowser browser, string session, string url, int timeoutSeconds)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            StorageState = session,
            ViewportSize = new ViewportSize { Width = 1300, Height = 1000 },
        });
        await context.AddInitScriptAsync(HeatmapObserver);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(timeoutSeconds * 1000f);

        // What the browser said went wrong, for the message when a visit fails.
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        var outcome = await page.WaitForFunctionAsync(Outcome, null, new PageWaitForFunctionOptions { PollingInterval = 50 });
        var said = await outcome.JsonValueAsync<string>();
        if (said != "heatmap")
        {
            throw new BenchFailed($"{url}: {said}" + (errors.Count == 0 ? "" : "; the browser's console: " + string.Join(" | ", errors)));
        }

        await Assertions.Expect(page.Locator("#heatmap g.hm").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        var json = await page.EvaluateAsync<System.Text.Json.JsonElement>(FiguresScript);
        var figures = new Figures(
            json.GetProperty("heatmapMs").GetDouble(), json.GetProperty("interactiveMs").GetDouble(), json.GetProperty("blankMs").GetDouble(),
            json.GetProperty("loadMs").GetDouble(),
            json.GetProperty("firstByteMs").GetDouble(), json.GetProperty("domReadyMs").GetDouble(),
            json.GetProperty("trialRows").GetInt32(), json.GetProperty("allRows").GetInt32(), json.GetProperty("cells").GetInt32());
        if (figures.Cells == 0)
        {
            throw new BenchFailed($"{url}: the heatmap was drawn without a single cell with a value");
        }

        // Leave as a user does (Blazor's pagehide beacon ends the circuit on the server); closing the context alone
        // drops the connection, and the server then keeps the circuit for its reconnection window.
        await page.GotoAsync("about:blank");

        return figures;
    }

    private static double Median(IReadOnlyList<Figures> runs, Func<Figures, double> value)
    {
        var sorted = runs.Select(value).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static Options Parse(string[] args)
    {
        string? url = null, email = null, password = null, chromium = "/usr/bin/chromium";
        var sweeps = new List<(string, Guid)>();
        int runs = 3, timeout = 120;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i++])
            {
                case "--url": url = value; break;
                case "--email": email = value; break;
                case "--password": password = value; break;
                case "--chromium": chromium = value; break;
                case "--runs": runs = PositiveNumber("--runs", value); break;
                case "--timeout": timeout = PositiveNumber("--timeout", value); break;
                case "--sweep": sweeps.Add(ParseSweep(value)); break;
                default: throw new ArgumentException($"unknown option {args[i - 1]}");
            }
        }

        if (url is null || email is null || password is null || sweeps.Count == 0)
        {
            throw new ArgumentException("--url, --email, --password and at least one --sweep are required");
        }

        return new Options(new Uri(url.TrimEnd('/') + "/"), email, password, sweeps, runs, timeout, chromium);
    }

    private static (string, Guid) ParseSweep(string value) =>
        value.Split('=', 2) is [var label, var id] && Guid.TryParse(id, out var guid)
            ? (label, guid)
            : throw new ArgumentException($"--sweep takes LABEL=ID, got '{value}'");

    private static int PositiveNumber(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option} takes a positive whole number, got '{value}'");

    private sealed class BenchFailed(string message) : Exception(message);
}
