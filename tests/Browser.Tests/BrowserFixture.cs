using Microsoft.Playwright;
using Sweep.Testing;

namespace Sweep.Browser.Tests;

/// <summary>
/// The platform as a user meets it: the web app and a worker as real processes on a fresh database, and Debian's
/// chromium driven headless by Playwright. No browser is ever downloaded: Playwright launches /usr/bin/chromium.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private WebProcess? _web;

    public TestDatabase Database { get; private set; } = null!;

    public WorkerProcess Worker { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Where screenshots go: $SWEEP_SCREENSHOTS (./sweep screenshots sets docs/screenshots), else the test output.</summary>
    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("SWEEP_SCREENSHOTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();

        // The first account comes from the environment, as with `./sweep up`; the browser signs in with it.
        _web = await WebProcess.StartAsync(Database.ConnectionString, new Dictionary<string, string>
        {
            ["SWEEP_ADMIN_EMAIL"] = AdminEmail,
            ["SWEEP_ADMIN_PASSWORD"] = AdminPassword,
        });
        BaseUrl = _web.BaseUrl;
        Worker = new WorkerProcess(Database.ConnectionString, "browser-worker", new Dictionary<string, string> { ["Worker__HeartbeatSeconds"] = "1" });

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("SWEEP_TEST_CHROMIUM") is { Length: > 0 } chromium ? chromium : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
        await SignInAsync();
    }

    public const string AdminEmail = "admin@sweep.test";

    public const string AdminPassword = "Browser-tests-1";

    /// <summary>A read-write personal access token of the administrator, created through the account page.</summary>
    public string ApiToken { get; private set; } = "";

    private string _session = "";

    /// <summary>A page signed in as the administrator (the session cookie of <see cref="SignInAsync"/>), desktop-sized unless asked.</summary>
    public async Task<IPage> NewPageAsync(int width = 1300, int height = 1000)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, StorageState = _session });
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>An API client that sends <see cref="ApiToken"/>.</summary>
    public HttpClient ApiClient()
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiToken);
        return http;
    }

    /// <summary>Signs in through the sign-in form once, keeps the session for every page, and creates the API token.</summary>
    private async Task SignInAsync()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(BaseUrl + "/account/login");
        await page.FillAsync("#email", AdminEmail);
        await page.FillAsync("#password", AdminPassword);
        await page.ClickAsync("#sign-in");

        // The redirect is what proves the sign-in; its page's load event (scripts, a preload) is not awaited, and a
        // loaded 2-core machine may take a while to answer it (one such timeout once failed every browser test).
        await page.WaitForURLAsync(BaseUrl + "/", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 90_000 });
        await page.GotoAsync(BaseUrl + "/account");
        await page.FillAsync("#token-name", "browser tests");
        await page.SelectOptionAsync("#token-scope", "read-write");
        await page.ClickAsync("#create-token");
        ApiToken = (await page.TextContentAsync("#new-token"))!.Trim();
        _session = await context.StorageStateAsync();
    }

    // An instance member so that every test reaches it through the fixture it already holds.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Called through the fixture instance by the tests.")]
    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public string WebOutput => _web?.Output ?? "";

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        Worker.Dispose();
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
