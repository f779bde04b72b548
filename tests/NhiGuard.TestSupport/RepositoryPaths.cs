using System.Reflection;

namespace NhiGuard.TestSupport;

/// <summary>Where the repository's folders are, recorded at build time.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "NhiGuardRepositoryRoot").Value!;

    public static string Rules => Path.Combine(Root, "rules");

    public static string Corpus => Path.Combine(Root, "tests", "corpus");
}
