using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sweep.Domain.Sweeps;

/// <summary>The JSON shape of specs everywhere: API bodies, stored specs and trainer configs agree on it.</summary>
public static class SweepJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };
        // Enums are names only: a number like "lrScaling": 7 would otherwise bind to an undefined value and fail later.
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        return options;
    }

    public static string Serialize(SweepSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static SweepSpec Deserialize(string json) =>
        JsonSerializer.Deserialize<SweepSpec>(json, Options) ?? throw new JsonException("Empty sweep spec.");
}
