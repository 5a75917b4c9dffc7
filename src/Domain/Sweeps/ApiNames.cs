namespace Sweep.Domain.Sweeps;

/// <summary>
/// Enum values as the API, the database and the UI spell them: lower-case names ("sqrt", "vectorized"). One place,
/// so that stored trial rows, JSON and labels can never disagree.
/// </summary>
public static class ApiNames
{
    public static string Of<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static T Parse<T>(string name)
        where T : struct, Enum => Enum.Parse<T>(name, ignoreCase: true);

    public static T? TryParse<T>(string name)
        where T : struct, Enum => Enum.TryParse<T>(name, ignoreCase: true, out var value) ? value : null;
}
