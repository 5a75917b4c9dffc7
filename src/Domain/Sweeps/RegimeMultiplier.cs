using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sweep.Domain.Sweeps;

/// <summary>
/// How much longer than the reference regime a cell trains: a fixed factor, or <c>auto</c>,
/// which the paper defines as ceil(B / B_ref) so that large batches make as many updates as small ones
/// (ceil(B / G) under <see cref="LrReference.Ghost"/>, as main_gbn.py; <see cref="GridExpander.AutoRegimeReference"/>).
/// </summary>
[JsonConverter(typeof(RegimeMultiplierJsonConverter))]
public readonly record struct RegimeMultiplier
{
    private RegimeMultiplier(double? factor) => Factor = factor;

    /// <summary>The fixed factor, or null for <c>auto</c>.</summary>
    public double? Factor { get; }

    public bool IsAuto => Factor is null;

    public static RegimeMultiplier Auto { get; } = new(null);

    public static RegimeMultiplier Fixed(double factor) => new(factor);

    /// <summary>The factor this cell trains with; <paramref name="referenceBatchSize"/> is B_ref, or G under <see cref="LrReference.Ghost"/>.</summary>
    public double Resolve(int batchSize, int referenceBatchSize) =>
        Factor ?? Math.Ceiling((double)batchSize / referenceBatchSize);

    public override string ToString() =>
        Factor is { } f ? f.ToString("R", CultureInfo.InvariantCulture) : "auto";
}

public sealed class RegimeMultiplierJsonConverter : JsonConverter<RegimeMultiplier>
{
    public override RegimeMultiplier Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return RegimeMultiplier.Fixed(reader.GetDouble());
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString();
            if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase))
            {
                return RegimeMultiplier.Auto;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return RegimeMultiplier.Fixed(value);
            }
        }

        throw new JsonException("A regime multiplier is a positive number or \"auto\".");
    }

    public override void Write(Utf8JsonWriter writer, RegimeMultiplier value, JsonSerializerOptions options)
    {
        if (value.Factor is { } factor)
        {
            writer.WriteNumberValue(factor);
        }
        else
        {
            writer.WriteStringValue("auto");
        }
    }
}
