namespace Sweep.Jobs.Worker;

/// <summary>The trial's scratch files (checkpoint out, checkpoint in), deleted when the attempt ends.</summary>
internal sealed class TrialFiles(Guid trialId) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory($"sweep-trial-{trialId:N}-").FullName;

    public string Checkpoint => Path.Combine(_folder, "checkpoint.bin");

    public string Resume => Path.Combine(_folder, "resume.bin");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a scratch folder left in /tmp is harmless.
        }
    }
}
