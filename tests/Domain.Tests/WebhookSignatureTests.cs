using System.Text.Json;
using Sweep.Domain.Webhooks;

namespace Sweep.Domain.Tests;

public sealed class WebhookSignatureTests
{
    private const string Secret = "swh_test-secret-0123456789abcdefghij";

    private const string Body = """{"event":"test","text":"hello"}""";

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void The_header_is_t_and_v1_where_v1_is_the_hex_hmac_sha256_of_t_dot_body()
    {
        var header = WebhookSignature.Header(Secret, 1_800_000_000, Body);

        // Computed independently: printf '1800000000.{"event":"test","text":"hello"}' | openssl dgst -sha256 -hmac "$secret".
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(Secret));
        var expected = Convert.ToHexStringLower(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes("1800000000." + Body)));
        Assert.Equal($"t=1800000000,v1={expected}", header);
        Assert.Equal(64, expected.Length);
    }

    [Fact]
    public void A_fresh_signature_verifies_and_any_change_to_body_secret_or_timestamp_does_not()
    {
        var header = WebhookSignature.Header(Secret, Now.ToUnixTimeSeconds(), Body);
        var tolerance = WebhookSignature.DefaultTolerance;

        Assert.Equal(WebhookVerification.Valid, WebhookSignature.Verify(Secret, header, Body, Now, tolerance));
        Assert.Equal(WebhookVerification.BadSignature, WebhookSignature.Verify(Secret, header, Body + " ", Now, tolerance));
        Assert.Equal(WebhookVerification.BadSignature, WebhookSignature.Verify(Secret + "x", header, Body, Now, tolerance));
        var otherTime = header.Replace("t=1800000000", "t=1800000001", StringComparison.Ordinal);
        Assert.Equal(WebhookVerification.BadSignature, WebhookSignature.Verify(Secret, otherTime, Body, Now, tolerance));
    }

    [Theory]
    [InlineData(-299, WebhookVerification.Valid)]
    [InlineData(300, WebhookVerification.Valid)]
    [InlineData(301, WebhookVerification.OutsideTolerance)]
    [InlineData(-301, WebhookVerification.OutsideTolerance)]
    [InlineData(86_400, WebhookVerification.OutsideTolerance)]
    public void A_replay_is_refused_once_its_timestamp_is_outside_the_tolerance(int secondsLater, WebhookVerification expected)
    {
        var header = WebhookSignature.Header(Secret, Now.ToUnixTimeSeconds(), Body);

        Assert.Equal(expected, WebhookSignature.Verify(Secret, header, Body, Now.AddSeconds(secondsLater), TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=abc")]
    [InlineData("t=1800000000")]
    [InlineData("t=soon,v1=abc")]
    public void A_header_without_a_timestamp_and_a_signature_is_malformed(string? header) =>
        Assert.Equal(WebhookVerification.Malformed, WebhookSignature.Verify(Secret, header, Body, Now, TimeSpan.FromMinutes(5)));

    [Fact]
    public void A_header_with_two_signatures_verifies_by_either()
    {
        var good = WebhookSignature.Compute(Secret, Now.ToUnixTimeSeconds(), Body);
        var header = $"t={Now.ToUnixTimeSeconds()},v1={new string('0', 64)},v1={good}";

        Assert.Equal(WebhookVerification.Valid, WebhookSignature.Verify(Secret, header, Body, Now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 2_000)]
    [InlineData(5, 16_000)]
    [InlineData(10, 512_000)]
    [InlineData(11, 600_000)]
    [InlineData(40, 600_000)]
    public void Backoff_doubles_from_one_second_and_stops_at_ten_minutes(int attempts, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), WebhookBackoff.After(attempts, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)));

    [Fact]
    public void The_slack_preset_sends_only_the_summary_as_text()
    {
        var payload = WebhookPayloads.SweepFinished(
            new SweepFinishedFacts(Guid.NewGuid(), Guid.NewGuid(), "lr-study", new Dictionary<string, int> { ["completed"] = 3, ["failed"] = 1 }), Now);

        using var slack = JsonDocument.Parse(WebhookPayloads.Body(WebhookPresets.Slack, payload));
        Assert.Equal("Sweep 'lr-study' finished: 3 completed, 1 failed.", slack.RootElement.GetProperty("text").GetString());
        Assert.Single(slack.RootElement.EnumerateObject());
        Assert.Equal(payload, WebhookPayloads.Body(WebhookPresets.Json, payload));
        using var json = JsonDocument.Parse(payload);
        Assert.Equal("sweep.finished", json.RootElement.GetProperty("event").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("data").GetProperty("trials").GetProperty("completed").GetInt32());
    }

    [Theory]
    [InlineData("diverged", "trial.diverged")]
    [InlineData("evaluation-nan", "trial.diverged")]
    [InlineData("out-of-memory", "trial.out-of-memory")]
    [InlineData("stalled", "trial.stalled")]
    [InlineData("lost", "trial.lost")]
    [InlineData("error", "trial.failed")]
    [InlineData(null, "trial.failed")]
    [InlineData("cancelled", null)]
    public void Each_failure_kind_has_its_event(string? kind, string? expected) =>
        Assert.Equal(expected, WebhookEvents.ForFailure(kind));
}
