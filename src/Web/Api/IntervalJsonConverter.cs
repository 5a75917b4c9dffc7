using System.Text.Json;
using System.Text.Json.Serialization;
using Sweep.Domain.Statistics;

namespace Sweep.Web.Api;

/// <summary>A confidence interval on the wire: <c>[low, high]</c>, as plotting libraries take error bars and bands.</summary>
public sealed class IntervalJsonConverter : JsonConverter<Interval>
{
    public override Interval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var bounds = JsonSerializer.Deserialize<double[]>(ref reader, options);
        return bounds is [var low, var high] ? new Interval(low, high) : throw new JsonException("An interval is [low, high].");
    }

    public override void Write(Utf8JsonWriter writer, Interval value, JsonSerializerOptions options)
    {
        // Through the serializer, so that the options' handling of NaN and ±Infinity applies to the bounds too.
        writer.WriteStartArray();
        JsonSerializer.Serialize(writer, value.Low, options);
        JsonSerializer.Serialize(writer, value.High, options);
        writer.WriteEndArray();
    }
}
