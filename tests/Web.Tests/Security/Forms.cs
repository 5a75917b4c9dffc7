using System.Net;
using System.Text.RegularExpressions;

namespace Sweep.Web.Tests.Security;

/// <summary>Posts the app's static forms the way a browser does: fetch the page (antiforgery cookie and field), then post.</summary>
internal static partial class Forms
{
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var input = AntiforgeryInput().Match(html);
        Assert.True(input.Success, $"{page} renders no antiforgery field");
        return WebUtility.HtmlDecode(Value().Match(input.Value).Groups[1].Value);
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string formName, IDictionary<string, string> fields, bool withAntiforgery = true) =>
        PostAsync(client, page, formName, fields.AsEnumerable(), withAntiforgery);

    /// <summary>As above, with fields that may repeat a name (checkboxes: one value per ticked box).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string formName, IEnumerable<KeyValuePair<string, string>> fields, bool withAntiforgery = true)
    {
        var values = new List<KeyValuePair<string, string>>(fields) { new("_handler", formName) };
        if (withAntiforgery)
        {
            values.Add(new("__RequestVerificationToken", await AntiforgeryTokenAsync(client, page)));
        }
        else
        {
            await client.GetAsync(page); // the antiforgery cookie alone is not enough
        }

        return await client.PostAsync(page, new FormUrlEncodedContent(values));
    }

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, bool withAntiforgery = true) =>
        PostAsync(client, "/account/login", "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password }, withAntiforgery);

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex Value();
}
