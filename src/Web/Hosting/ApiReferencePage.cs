using Scalar.AspNetCore;

namespace Sweep.Web.Hosting;

/// <summary>
/// The API reference at /scalar/v1, made to work on an air-gapped deployment: Scalar's standalone script is embedded
/// in Scalar.AspNetCore and served by the app (/scalar/scalar.js), and everything that would reach a third party is
/// off: the default fonts (a CDN), telemetry, the AI agent and MCP, and the vendor's toolbar (Deploy, Generate SDK,
/// Share) and client buttons. ApiReferencePageTests refuses every request outside the app's origin.
/// </summary>
public static class ApiReferencePage
{
    /// <summary>Scalar has no option for its "Powered by Scalar" link; the page is ours, so it goes.</summary>
    private const string NoVendorLinks = "a[href*=\"scalar.com\"] { display: none !important; }";

    public static void Configure(ScalarOptions options)
    {
        options
            .WithTitle("Sweep API reference")
            .AddPreferredSecuritySchemes([ApiReferenceDocument.SchemeName])
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .HideClientButton()
            .HideDarkModeToggle()
            .WithCustomCss(NoVendorLinks);
    }
}
