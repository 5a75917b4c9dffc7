namespace Sweep.Reproduce;

/// <summary>Command-line options of scripts/reproduce.</summary>
public sealed record ReproduceOptions
{
    public Uri Url { get; init; } = new(Environment.GetEnvironmentVariable("SWEEP_URL") ?? "http://127.0.0.1:5080/");

    public string? Token { get; init; } = Environment.GetEnvironmentVariable("SWEEP_TOKEN");

    public bool Smoke { get; init; }

    /// <summary>Submit a new study even when one was submitted before.</summary>
    public bool Fresh { get; init; }

    /// <summary>Submit (or find) the study and exit without waiting or reporting.</summary>
    public bool NoWait { get; init; }

    /// <summary>Report on the study as it stands, without waiting for unfinished trials.</summary>
    public bool ReportNow { get; init; }

    /// <summary>Where docs/reproduction.md and its figures are written.</summary>
    public string? Out { get; init; }

    public string? Chromium { get; init; } = Environment.GetEnvironmentVariable("SWEEP_CHROMIUM");

    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(10);

    public const string Usage = """
        scripts/reproduce [--smoke] [--url URL] [--token TOKEN] [--out DIR] [--fresh] [--no-wait | --report-now]

        Reruns Hoffer et al. 2017's F1 study on Fashion-MNIST through Sweep's REST API, waits for it, and regenerates
        the measured parts of DIR/reproduction.md and its figures (DIR defaults to docs/ for the full study and to
        .sweep/reproduce-smoke/ for --smoke).

          --smoke        a shorter version (one seed, one epoch, two batch sizes) that finishes in minutes
          --url URL      the platform (default $SWEEP_URL, else http://127.0.0.1:5080)
          --token TOKEN  a personal access token (default $SWEEP_TOKEN)
          --fresh        submit a new study even if one was submitted before (.sweep/reproduce/<size>.json)
          --no-wait      submit and exit; rerun without it later to wait and report
          --report-now   report on the study as it stands (unfinished trials are listed as such) without waiting
          --chromium P   the browser that exports figures (default $SWEEP_CHROMIUM, else /usr/bin/chromium)
        """;

    public static ReproduceOptions Parse(string[] args)
    {
        var options = new ReproduceOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--smoke" => options with { Smoke = true },
                "--fresh" => options with { Fresh = true },
                "--no-wait" => options with { NoWait = true },
                "--report-now" => options with { ReportNow = true },
                "--url" => options with { Url = new Uri(Value().TrimEnd('/') + "/") },
                "--token" => options with { Token = Value() },
                "--out" => options with { Out = Value() },
                "--chromium" => options with { Chromium = Value() },
                "--poll" => options with { Poll = TimeSpan.FromSeconds(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }
}
