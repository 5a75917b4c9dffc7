using System.Text.RegularExpressions;
using Sweep.Testing;
using YamlDotNet.RepresentationModel;

namespace Sweep.Deploy.Tests;

/// <summary>No Docker engine runs here, so the compose file's structure is checked with a YAML parser.</summary>
public sealed partial class ComposeTests
{
    private static readonly YamlMappingNode Compose = Yaml.LoadAll(Path.Combine(RepositoryPaths.Root, "docker-compose.yml")).Single();

    private static YamlNode Service(string name) => Compose.Get("services", name) ?? throw new Xunit.Sdk.XunitException($"no service '{name}'");

    [Fact]
    public void It_has_postgres_migrate_web_and_a_scalable_worker_with_a_gpu_profile() =>
        Assert.Equal(["migrate", "postgres", "web", "worker", "worker-gpu"], Compose.Get("services").Keys().Order());

    [Fact]
    public void Postgres_keeps_its_data_in_a_named_volume_checks_its_health_and_reads_credentials_from_env()
    {
        var postgres = Service("postgres");
        Assert.Contains(postgres.Get("volumes").Items(), v => ((YamlScalarNode)v).Value!.StartsWith("pgdata:", StringComparison.Ordinal));
        Assert.Contains("pgdata", Compose.Get("volumes").Keys());
        Assert.Contains("pg_isready", string.Join(' ', postgres.Get("healthcheck", "test").Items().Select(i => ((YamlScalarNode)i).Value)));
        Assert.Equal(".env", postgres.Text("env_file"));
    }

    [Fact]
    public void Migrate_runs_once_after_postgres_is_healthy_and_gates_web_and_workers()
    {
        var migrate = Service("migrate");
        Assert.Equal(["migrate"], migrate.Get("command").Items().Select(i => ((YamlScalarNode)i).Value));
        Assert.Equal("no", migrate.Text("restart"));
        Assert.Equal("service_healthy", migrate.Text("depends_on", "postgres", "condition"));
        foreach (var dependent in new[] { "web", "worker", "worker-gpu" })
        {
            Assert.Equal("service_completed_successfully", Service(dependent).Text("depends_on", "migrate", "condition"));
        }
    }

    [Fact]
    public void Workers_can_be_scaled_and_the_gpu_profile_reserves_an_nvidia_device()
    {
        var worker = Service("worker");
        Assert.Null(worker.Get("container_name"));
        Assert.Null(worker.Get("ports"));
        Assert.Equal("cpu", worker.Text("environment", "Worker__Device"));

        var gpu = Service("worker-gpu");
        Assert.Equal(["gpu"], gpu.Get("profiles").Items().Select(i => ((YamlScalarNode)i).Value));
        Assert.Equal("cuda", gpu.Text("build", "args", "TORCH_BACKEND"));
        var device = gpu.Get("deploy", "resources", "reservations", "devices").Items().Single();
        Assert.Equal("nvidia", device.Text("driver"));
        Assert.Equal(["gpu"], device.Get("capabilities").Items().Select(i => ((YamlScalarNode)i).Value));
    }

    [Fact]
    public void Every_process_gets_the_connection_string_and_every_variable_is_in_the_env_example()
    {
        foreach (var name in new[] { "migrate", "web", "worker", "worker-gpu" })
        {
            Assert.StartsWith("Host=postgres;", Service(name).Text("environment", "ConnectionStrings__Sweep"));
        }

        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        var used = VariablePattern().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
        var example = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".env.example"))
            .Where(l => l.Contains('=') && !l.StartsWith('#')).Select(l => l[..l.IndexOf('=')]).ToHashSet();
        Assert.NotEmpty(used);
        Assert.Subset(example, used);
    }

    /// <summary>
    /// Issue 13, item 5: compose passes the administrator from .env; left empty, the web service logs a one-time setup
    /// code instead (the single web container makes it). Registration stays closed unless .env opens it.
    /// </summary>
    [Fact]
    public void Item5_The_web_service_takes_the_administrator_from_env_or_logs_a_setup_code()
    {
        var web = Service("web");
        Assert.Equal("${SWEEP_ADMIN_EMAIL:-}", web.Text("environment", "SWEEP_ADMIN_EMAIL"));
        Assert.Equal("${SWEEP_ADMIN_PASSWORD:-}", web.Text("environment", "SWEEP_ADMIN_PASSWORD"));
        Assert.Equal("${SWEEP_REGISTRATION:-closed}", web.Text("environment", "Accounts__Registration"));
        Assert.Null(web.Get("deploy", "replicas"));

        var example = File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".env.example"));
        Assert.Contains("setup code", example, StringComparison.Ordinal);
        Assert.Contains("docker compose logs web", example, StringComparison.Ordinal);
        foreach (var worker in new[] { "worker", "worker-gpu", "migrate" })
        {
            Assert.Null(Service(worker).Get("environment", "SWEEP_ADMIN_PASSWORD"));
        }
    }

    [Theory]
    [InlineData("src/Web/Dockerfile", "mcr.microsoft.com/dotnet/aspnet:10.0")]
    [InlineData("src/Jobs/Dockerfile", "mcr.microsoft.com/dotnet/runtime:10.0")]
    public void Images_are_multi_stage_non_root_with_a_health_check_and_no_Debian_12_fix(string path, string runtime)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, path));
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, froms.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 ", froms[0]);
        Assert.StartsWith($"FROM {runtime} ", froms[1]);
        Assert.Contains(lines, l => l.StartsWith("USER $APP_UID", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("-p:SweepWeakenGlibcxx=false", StringComparison.Ordinal));
    }

    [Fact]
    public void The_worker_image_has_a_CUDA_flavour_behind_the_build_switch() =>
        Assert.Contains("-p:TorchBackend=${TORCH_BACKEND}", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src/Jobs/Dockerfile")));

    [GeneratedRegex(@"\$\{([A-Z_]+)")]
    private static partial Regex VariablePattern();
}
