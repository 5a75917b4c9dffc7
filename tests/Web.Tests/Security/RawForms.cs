using System.Net;
using System.Text.RegularExpressions;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// Form posts with the cookies carried by hand (see <see cref="Sweep.Testing.WebProcess.RawClient"/>): the tests choose
/// which process gets which cookie, and a Secure cookie is still sent over the plain-HTTP hop behind a proxy.
/// </summary>
internal static partial class RawForms
{
    public const string AntiforgeryCookiePrefix = ".AspNetCore.Antiforgery.";

    /// <summary>The sign-in page: its antiforgery field and the antiforgery cookie's Set-Cookie line.</summary>
    public static async Task<(string Token, string SetCookie)> LoginPageAsync(HttpClient client, Action<HttpRequestMessage>? decorate = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        decorate?.Invoke(request);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var input = AntiforgeryInput().Match(html);
        Assert.True(input.Success, "the sign-in page renders no antiforgery field");
        return (WebUtility.HtmlDecode(Value().Match(input.Value).Groups[1].Value), SetCookie(response, AntiforgeryCookiePrefix));
    }

    public static async Task<HttpResponseMessage> SignInAsync(
        HttpClient client, string token, string antiforgerySetCookie, string email, string password, Action<HttpRequestMessage>? decorate = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = token,
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        request.Headers.Add("Cookie", Pair(antiforgerySetCookie));
        decorate?.Invoke(request);
        return await client.SendAsync(request);
    }

    /// <summary>Signs in and returns the session cookie's Set-Cookie line.</summary>
    public static async Task<string> SessionAsync(HttpClient client, string email, string password, Action<HttpRequestMessage>? decorate = null)
    {
        var (token, antiforgery) = await LoginPageAsync(client, decorate);
        using var signedIn = await SignInAsync(client, token, antiforgery, email, password, decorate);
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        return SetCookie(signedIn, Access.AccessHostingExtensions.SessionCookie + "=");
    }

    /// <summary>A read-write token made on the account page, as a person does (a form post, not a cookie API write).</summary>
    public static async Task<string> CreateTokenAsync(HttpClient client, string sessionSetCookie, Action<HttpRequestMessage>? decorate = null)
    {
        using var page = new HttpRequestMessage(HttpMethod.Get, "/account");
        page.Headers.Add("Cookie", Pair(sessionSetCookie));
        decorate?.Invoke(page);
        using var form = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "create-token",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Value().Match(AntiforgeryInput().Match(html).Value).Groups[1].Value),
                ["Input.Name"] = "proxy tests",
                ["Input.Scope"] = "read-write",
            }),
        };
        post.Headers.Add("Cookie", Pair(sessionSetCookie) + "; " + Pair(SetCookie(form, AntiforgeryCookiePrefix)));
        decorate?.Invoke(post);
        using var created = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var token = NewToken().Match(await created.Content.ReadAsStringAsync());
        Assert.True(token.Success, "the account page shows no new token");
        return WebUtility.HtmlDecode(token.Groups[1].Value).Trim();
    }

    /// <summary>The Set-Cookie line for the cookie whose name starts with <paramref name="namePrefix"/>.</summary>
    public static string SetCookie(HttpResponseMessage response, string namePrefix)
    {
        var lines = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return lines.FirstOrDefault(c => c.StartsWith(namePrefix, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no Set-Cookie for {namePrefix} among: {string.Join(" | ", lines)}");
    }

    /// <summary>name=value of a Set-Cookie line, as a Cookie header carries it.</summary>
    public static string Pair(string setCookie) => setCookie.Split(';')[0];

    public static bool IsSecure(string setCookie) =>
        setCookie.Split(';').Skip(1).Any(a => a.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("<code id=\"new-token\">([^<]*)</code>")]
    private static partial Regex NewToken();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex Value();
}
