namespace Sweep.Domain.Sweeps;

/// <summary>
/// Enum values as the API, the database and the UI spell them: kebab-case names ("sqrt", "every-base-epoch"), as the
/// JSON converter writes them. One place, so that stored trial rows, JSON and labels can never disagree.
/// </summary>
public static class ApiNames
{
    public static string Of<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static T Parse<T>(string name)
        where T : struct, Enum => Enum.Parse<T>(name.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);

    public static T? TryParse<T>(string name)
        where T : struct, Enum => Enum.TryParse<T>(name.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var value) ? value : null;
}
