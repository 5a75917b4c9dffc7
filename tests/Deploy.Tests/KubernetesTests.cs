using Sweep.Testing;
using YamlDotNet.RepresentationModel;

namespace Sweep.Deploy.Tests;

public sealed class KubernetesTests
{
    private static readonly string ManifestPath = Path.Combine(RepositoryPaths.Root, "deploy/k8s/sweep.yaml");
    private static readonly List<YamlMappingNode> Documents = Yaml.LoadAll(ManifestPath);

    private static YamlMappingNode Kind(string kind, string name) =>
        Documents.Single(d => d.Text("kind") == kind && d.Text("metadata", "name") == name);

    [Fact]
    public void It_holds_the_migration_job_the_web_deployment_and_gpu_workers() =>
        Assert.Equal(
            ["Deployment/sweep-web", "Job/sweep-migrate", "Secret/sweep-admin", "Secret/sweep-db", "Service/sweep-web", "StatefulSet/sweep-gpu-worker"],
            Documents.Select(d => $"{d.Text("kind")}/{d.Text("metadata", "name")}").Order());

    [Fact]
    public void Each_gpu_worker_pod_takes_one_GPU_and_names_itself_after_the_pod()
    {
        var container = Kind("StatefulSet", "sweep-gpu-worker").Get("spec", "template", "spec", "containers").Items().Single();

        Assert.Equal("1", container.Text("resources", "limits", "nvidia.com/gpu"));
        var env = container.Get("env").Items().ToDictionary(e => e.Text("name")!, e => e);
        Assert.Equal("metadata.name", env["Worker__Name"].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("cuda", env["Worker__Device"].Text("value"));
    }

    [Fact]
    public void Every_container_reads_the_connection_string_from_the_secret()
    {
        var containers = Documents
            .Where(d => d.Text("kind") is "Job" or "Deployment" or "StatefulSet")
            .SelectMany(d => d.Get("spec", "template", "spec", "containers").Items())
            .ToList();

        Assert.Equal(3, containers.Count);
        Assert.All(containers, c => Assert.Equal("sweep-db", c.Get("env").Items()
            .Single(e => e.Text("name") == "ConnectionStrings__Sweep").Text("valueFrom", "secretKeyRef", "name")));
    }

    /// <summary>Issue 13, item 5: the first administrator comes from a required Secret, never from whoever registers first.</summary>
    [Fact]
    public void Item5_The_web_pods_require_the_administrator_secret_and_keep_registration_closed()
    {
        var web = Kind("Deployment", "sweep-web").Get("spec", "template", "spec", "containers").Items().Single();
        var env = web.Get("env").Items().ToDictionary(e => e.Text("name")!, e => e);
        foreach (var (name, key) in new[] { ("SWEEP_ADMIN_EMAIL", "email"), ("SWEEP_ADMIN_PASSWORD", "password") })
        {
            Assert.Equal("sweep-admin", env[name].Text("valueFrom", "secretKeyRef", "name"));
            Assert.Equal(key, env[name].Text("valueFrom", "secretKeyRef", "key"));
            Assert.NotEqual("true", env[name].Text("valueFrom", "secretKeyRef", "optional"));
        }

        var secret = Kind("Secret", "sweep-admin");
        Assert.False(string.IsNullOrEmpty(secret.Text("stringData", "email")));
        Assert.False(string.IsNullOrEmpty(secret.Text("stringData", "password")));
        Assert.Equal("closed", env["Accounts__Registration"].Text("value"));
    }

    [Fact]
    public void The_service_selects_the_web_pods_and_the_web_probes_health() =>
        Assert.Equal(
            Kind("Deployment", "sweep-web").Text("spec", "selector", "matchLabels", "app"),
            Kind("Service", "sweep-web").Text("spec", "selector", "app"));

    [Fact]
    public void The_deployment_guide_embeds_the_manifest_verbatim() =>
        Assert.Contains(File.ReadAllText(ManifestPath), File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs/deploy.md")));
}
