using System.Text.Json;

namespace Sweep.Web.Components;

/// <summary>
/// A JSON document as key/value rows for a table: nested objects become dotted paths (optimizer.momentum), arrays
/// of plain values stay on one row ([10, 20, 30]), arrays holding objects are indexed (layers[0].width).
/// </summary>
public static class JsonTable
{
    public static IReadOnlyList<KeyValuePair<string, string>> Rows(JsonElement? element)
    {
        var rows = new List<KeyValuePair<string, string>>();
        if (element is { } root)
        {
            Add(rows, "", root);
        }

        return rows;
    }

    private static void Add(List<KeyValuePair<string, string>> rows, string path, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when element.EnumerateObject().Any():
                foreach (var property in element.EnumerateObject())
                {
                    Add(rows, path.Length == 0 ? property.Name : $"{path}.{property.Name}", property.Value);
                }

                break;
            case JsonValueKind.Array when element.EnumerateArray().Any(e => e.ValueKind is JsonValueKind.Object or JsonValueKind.Array):
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Add(rows, $"{path}[{index++}]", item);
                }

                break;
            default:
                rows.Add(new(path.Length == 0 ? "(value)" : path, Text(element)));
                break;
        }
    }

    private static string Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() ?? "",
        JsonValueKind.Array => "[" + string.Join(", ", element.EnumerateArray().Select(Text)) + "]",
        _ => element.GetRawText(),
    };
}
