using Sweep.Client;
using Sweep.Reproduce;

// The sweep page's load benchmark (scripts/lib/bench_page.sh) drives chromium as this tool's figure export does.
if (args is ["bench-page", .. var benchArgs])
{
    return await PageBench.RunAsync(benchArgs);
}

ReproduceOptions options;
try
{
    options = ReproduceOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(ReproduceOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var size = options.Smoke ? StudySize.Smoke : StudySize.Full;
var root = RepositoryRoot.Find();
var client = SweepClient.Create(options.Url, options.Token);
var runner = new StudyRunner(client, size, Path.Combine(root, ".sweep", "reproduce", size.Label + ".json"), Console.Out);
try
{
    var state = await runner.SubmitOrResumeAsync(options.Fresh, cancel.Token);
    if (options.NoWait)
    {
        return 0;
    }

    var sweeps = options.ReportNow
        ? await runner.CurrentAsync(state, cancel.Token)
        : await runner.WaitAsync(state, options.Poll, cancel.Token);
    var output = options.Out ?? (options.Smoke ? Path.Combine(root, ".sweep", "reproduce-smoke") : Path.Combine(root, "docs"));
    await new ReproductionReport(client, size, sweeps, output, options, Console.Out).WriteAsync(cancel.Token);

    // The full study, written to docs/, becomes the published example every installation loads; any other run keeps
    // its archives beside its report.
    var examples = options.Smoke || options.Out is not null ? Path.Combine(output, "examples") : Path.Combine(root, "examples");
    await new ExamplePublisher(client, Console.Out).PublishAsync(sweeps, examples, cancel.Token);
    return 0;
}
catch (SweepApiException ex)
{
    Console.Error.WriteLine($"The API refused: {ex.Message}");
    return 1;
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"Cannot reach Sweep at {options.Url}: {ex.Message}. Is it up (./sweep up)?");
    return 1;
}
