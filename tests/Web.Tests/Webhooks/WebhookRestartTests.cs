using System.Net;
using Sweep.Data.Entities;
using static Sweep.Web.Tests.Webhooks.WebhookSteps;

namespace Sweep.Web.Tests.Webhooks;

/// <summary>
/// The outbox survives the web: an event whose receiver is failing stays pending while the web process goes away,
/// and the next web process over the same database delivers it. Its own class: it starts and stops its own factories.
/// </summary>
[Collection(TimedIntervalsCollection.Name)]
public sealed class WebhookRestartTests
{
    [Fact]
    public async Task An_event_pending_when_the_web_stops_is_delivered_by_the_next_web()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 500;
        var first = new WebhookWebFactory();
        await first.InitializeAsync();
        try
        {
            Guid hookId;
            string secret;
            using (var admin = first.CreateClient())
            {
                (hookId, secret) = await CreateHookAsync(admin, ProjectRecord.DefaultSlug, receiver.HookUrl("restart"), ["sweep.finished"]);
                Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/v1/projects/{ProjectRecord.DefaultSlug}/webhooks/{hookId}/test", null)).StatusCode);
            }

            // The row, not the receiver: the receiver sees the 500 before the web has written it down.
            var pendingSql = $"SELECT count(*) FROM webhook_deliveries WHERE webhook_id = '{hookId}' AND state = 'pending' AND last_status_code = 500";
            await WaitUntilAsync(async () => await first.Database.ScalarAsync<long>(pendingSql) == 1,
                () => first.Database.ScalarAsync<string>("SELECT coalesce(string_agg(state || ' ' || attempts || ' ' || coalesce(last_error, '-'), '; '), 'no rows') FROM webhook_deliveries"));
            await first.DisposeAsync(); // the web only; the database stays
            Assert.Equal(1L, await first.Database.ScalarAsync<long>(pendingSql));

            receiver.Status = 200;
            await using var second = WebhookWebFactory.Over(first.Database);
            _ = second.Server;
            var delivered = await receiver.WaitForAsync(r => r.Hook == "restart" && r.Event == "test");
            AssertSigned(delivered, secret); // the second process decrypts the secret with the key ring both share in the database
            await WaitUntilAsync(async () => await first.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM webhook_deliveries WHERE webhook_id = '{hookId}' AND state = 'delivered' AND attempts >= 2") == 1);
        }
        finally
        {
            await first.Database.DisposeAsync();
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, Func<Task<string>>? state = null) => WaitUntilAsync(() => Task.FromResult(condition()), state);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<Task<string>>? state = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not hold within 30 s. " + (state is null ? "" : await state()));
            }

            await Task.Delay(50);
        }
    }
}
