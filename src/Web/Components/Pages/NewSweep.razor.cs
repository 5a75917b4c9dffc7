using System.Globalization;
using Microsoft.AspNetCore.Components;
using Sweep.Data.Entities;
using Sweep.Domain.Catalog;
using Sweep.Domain.Planning;
using Sweep.Domain.Presets;
using Sweep.Domain.Sweeps;
using Sweep.Web.Access;
using Sweep.Web.Components.Forms;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Components.Pages;

/// <summary>The sweep builder: a form over <see cref="SweepForm"/>, checked live as it is typed and by the service on submit.</summary>
public partial class NewSweep
{
    /// <summary>The validator's advice for API callers; on this page a button inside the message does it.</summary>
    private const string SkipAdvice = " Set \"skipInvalidCells\": true to skip such cells.";

    private static readonly (string Value, string Text)[] DeviceOptions =
        [("any", "any worker"), ("cpu", "CPU workers only"), ("cuda", "CUDA workers only")];

    private static IEnumerable<(string Value, string Text)> ModelOptions => Models.All.Select(m => (m.Name, $"{m.Name}: {m.Description}"));

    private static IEnumerable<(string Value, string Text)> DatasetOptions =>
        Datasets.All.Select(d => (d.Name, $"{d.Name} ({d.TrainSize:N0} train / {d.TestSize:N0} test)"));

    // Set after the first interactive render; a prerendered page never runs OnAfterRender.
    private bool live;

    [SupplyParameterFromQuery(Name = "from")]
    public Guid? From { get; set; }

    private SweepForm form = SweepForm.Default();
    private SweepFormState state = null!;
    private FormFieldContext fields = null!;
    private IReadOnlyDictionary<string, string[]> serverErrors = new Dictionary<string, string[]>();
    private IReadOnlyList<SweepWarning> warnings = [];
    private string presetKey = "";
    private PaperPreset? appliedPreset;
    private string? cloneNotice;
    private bool nameTouched;
    private bool submitted;
    private bool submitting;
    private string? submitStatus;
    private MeasuredRate? rate;
    private (string Model, string Dataset, string Device)? rateKey;
    private bool measuring = true;
    private string? project;

    protected override void OnInitialized()
    {
        fields = new FormFieldContext(Messages, EventCallback.Factory.Create(this, Changed))
        {
            Wording = message => message.Replace(SkipAdvice, ""),
            Fix = SkipInvalidCellsFix,
        };

        // Shown by hand-written markup rather than a field component: the name input and the grid's fieldset.
        fields.Register("name");
        fields.Register("grid");
        Evaluate();
    }

    protected override async Task OnInitializedAsync()
    {
        if (From is { } from)
        {
            await CloneAsync(from);
        }

        Evaluate();
        await RefreshRateAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            live = true;
            StateHasChanged();
        }
    }

    /// <summary>Starts the form from a stored sweep's spec; a sweep the caller may not read clones like a missing one.</summary>
    private async Task CloneAsync(Guid from)
    {
        var readable = await Access.CurrentSweepAsync(from, ProjectRoles.Viewer, CancellationToken.None) == AccessOutcome.Allowed;
        var spec = readable ? await Specs.SpecAsync(from, CancellationToken.None) : null;
        if (spec is null)
        {
            cloneNotice = $"No sweep has the id {from}; the form starts from the defaults.";
            return;
        }

        form = SweepForm.FromSpec(spec with { Name = $"{spec.Name} (copy)" });
        cloneNotice = $"A copy of “{spec.Name}”: every setting as stored. Change what you like and create it as a new sweep.";
    }

    private void Evaluate()
    {
        state = form.Evaluate(Limits);
        // Live, non-blocking: the same guard arithmetic that flags finished trials, applied to the planned cells. The
        // warnings are about cells, so a name not typed yet (which fails validation) must not hide them.
        var spec = string.IsNullOrWhiteSpace(state.Spec.Name) ? state.Spec with { Name = "unnamed" } : state.Spec;
        warnings = state.HasParseErrors ? [] : SweepWarnings.For(spec);
    }

    private void Changed()
    {
        serverErrors = new Dictionary<string, string[]>();
        submitStatus = null;
        Evaluate();
    }

    private void OnNameInput(ChangeEventArgs e)
    {
        form.Name = e.Value?.ToString() ?? "";
        nameTouched = true;
        Changed();
    }

    private async Task OnModelChangedAsync(string model)
    {
        form.Model = model;
        form.ApplyModelRegime();
        Changed();
        await RefreshRateAsync();
    }

    private async Task ApplyPresetAsync()
    {
        if (PaperPresets.Find(presetKey) is not { } preset)
        {
            return;
        }

        appliedPreset = preset;
        form = SweepForm.FromSpec(preset.Request.ToSpec());
        nameTouched = true;
        Changed();
        await RefreshRateAsync();
    }

    /// <summary>Looks the measured speed up again when the model, dataset or device changed.</summary>
    private async Task RefreshRateAsync()
    {
        var key = (form.Model, form.Dataset, form.Device);
        if (rateKey == key)
        {
            measuring = false;
            return;
        }

        rateKey = key;
        measuring = true;
        try
        {
            rate = Models.Find(form.Model) is null || Datasets.Find(form.Dataset) is null
                ? null
                : await Speeds.MeasureAsync(form.Model, form.Dataset, form.Device, CancellationToken.None);
        }
        finally
        {
            measuring = false;
        }
    }

    private async Task SubmitAsync()
    {
        submitted = true;
        nameTouched = true;
        Evaluate();
        if (state.HasParseErrors)
        {
            submitStatus = "Some inputs are not numbers; fix the fields marked in red.";
            return;
        }

        submitting = true;
        submitStatus = "Creating…";
        try
        {
            await CreateAsync();
        }
        finally
        {
            submitting = false;
        }
    }

    /// <summary>Creates the sweep in the chosen project and opens it, or keeps the server's errors to show them.</summary>
    private async Task CreateAsync()
    {
        var user = await Caller.GetAsync(CancellationToken.None);
        var (projectId, outcome) = await Access.CreateTargetAsync(user, project, CancellationToken.None);
        if (outcome != AccessOutcome.Allowed)
        {
            submitStatus = "You may not create sweeps in that project; pick one where you are an editor.";
            return;
        }

        var (created, errors) = await Service.CreateAsync(state.Spec, CancellationToken.None, projectId, user.UserId());
        if (created is not null)
        {
            Navigation.NavigateTo($"/sweeps/{created.Id}");
            return;
        }

        serverErrors = errors;
        submitStatus = $"The sweep was not created: {errors.Count} {(errors.Count == 1 ? "setting needs" : "settings need")} attention.";
    }

    /// <summary>The messages for a path: the server's answer to the last submission wins over the live check.</summary>
    private string[]? Messages(string path)
    {
        if (serverErrors.TryGetValue(path, out var server))
        {
            return server;
        }

        if (path == "name" && !nameTouched && !submitted)
        {
            return null;
        }

        return state.Errors.TryGetValue(path, out var live) ? live : null;
    }

    /// <summary>Every error by path, the server's first; the fields show theirs and <see cref="UnshownErrors"/> the rest.</summary>
    private IEnumerable<KeyValuePair<string, string[]>> AllErrors =>
        serverErrors.Concat(state.Errors.Where(e => !serverErrors.ContainsKey(e.Key)));

    private bool OffersSkip(string path) => !form.SkipInvalidCells && Messages(path)?.Any(m => m.Contains(SkipAdvice)) == true;

    /// <summary>Sets the option the error names and validates again; after a refused submission, submits again.</summary>
    private async Task SkipInvalidCellsAsync()
    {
        form.SkipInvalidCells = true;
        var resubmit = serverErrors.Count > 0;
        Changed();
        if (resubmit)
        {
            await SubmitAsync();
        }
    }

    private string CellCountText
    {
        get
        {
            if (state.Expansion is { } expansion)
            {
                var count = expansion.Cells.Count;
                var text = $"{count:N0} {(count == 1 ? "cell" : "cells")}, one trial each";
                return expansion.SkippedCellCount > 0 && form.SkipInvalidCells ? $"{text} ({expansion.SkippedCellCount:N0} skipped)" : text;
            }

            return state.GridPoints > Limits.MaxCells
                ? $"{state.GridPoints:N0} cells: over the limit of {Limits.MaxCells:N0}."
                : "No cells: fix the grid's values.";
        }
    }

    private string EstimateText(GridExpansion expansion)
    {
        var (epochs, _) = Workload.Of(state.Spec, expansion);
        var work = $"{epochs:N0} epochs in all";
        if (rate is null)
        {
            return $"{work}. No estimate of the training time yet: no trial of {form.Model} on {form.Dataset} has completed.";
        }

        // Start-up and evaluation passes count, not only the training epochs (SweepTimeEstimate).
        var seconds = SweepTimeEstimate.Seconds(state.Spec, expansion.Cells, Datasets.Find(form.Dataset)!, rate.Speed);
        var where = rate.Device is { } device ? $" on {device}" : "";
        var startup = rate.Speed.StartupMeasured ? $"{rate.Speed.StartupSeconds:0.#} s" : $"about {rate.Speed.StartupSeconds:0.#} s (not measured yet)";
        return $"{work}, about {DurationText.Format(seconds)} on one worker, with {startup} of start-up per trial and its evaluation passes "
            + $"(measured on {rate.Trials:N0} completed {(rate.Trials == 1 ? "trial" : "trials")} of {form.Model} on {form.Dataset}{where}).";
    }

    private static string Pct(double percent) => percent.ToString("0.00", CultureInfo.InvariantCulture) + " %";
}
