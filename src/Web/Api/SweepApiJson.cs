using System.Text.Json;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Api;

/// <summary>The API speaks the same JSON as stored specs: camelCase, kebab-case enums, NaN and ±Infinity spelled out; confidence intervals as [low, high].</summary>
public static class SweepApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        var reference = SweepJson.Options;
        options.PropertyNamingPolicy = reference.PropertyNamingPolicy;
        options.PropertyNameCaseInsensitive = reference.PropertyNameCaseInsensitive;
        options.NumberHandling = reference.NumberHandling;
        options.UnmappedMemberHandling = reference.UnmappedMemberHandling;
        foreach (var converter in reference.Converters)
        {
            options.Converters.Add(converter);
        }

        options.Converters.Add(new IntervalJsonConverter());
    }
}
