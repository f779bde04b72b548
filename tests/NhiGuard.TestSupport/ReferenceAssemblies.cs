using System.Reflection;
using System.Runtime.InteropServices;

namespace NhiGuard.TestSupport;

/// <summary>
/// What compiled test code (the analyzer tests, the analyzer benchmark) is built against: the
/// reference packs of the running runtime, and the assemblies of real SDKs with what they reference.
/// </summary>
public static class ReferenceAssemblies
{
    /// <summary>
    /// The DLLs of a reference pack (<c>Microsoft.NETCore.App.Ref</c>) of the running runtime's
    /// version, else of the newest of the same major version; null when the SDK has none.
    /// </summary>
    public static IReadOnlyList<string>? Pack(string pack)
    {
        // .../dotnet/shared/Microsoft.NETCore.App/10.0.x/ -> .../dotnet/packs/<pack>/10.0.x/ref/net10.0
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string version = Path.GetFileName(Path.TrimEndingDirectorySeparator(runtimeDirectory));
        string packRoot = Path.Combine(dotnetRoot, "packs", pack);
        if (!Directory.Exists(packRoot))
        {
            return null;
        }

        string major = version.Split('.')[0];
        string? folder = Directory.GetDirectories(packRoot)
            .Where(d => Path.GetFileName(d).StartsWith(major + ".", StringComparison.Ordinal))
            .OrderByDescending(d => Path.GetFileName(d) == version)
            .ThenByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out Version? v) ? v : new Version())
            .Select(d => Path.Combine(d, "ref", $"net{major}.0"))
            .FirstOrDefault(Directory.Exists);
        return folder is null ? null : Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The files of the assemblies that hold <paramref name="anchors"/> and of everything they
    /// reference outside the runtime's own folder, as loaded in this process (sorted).
    /// </summary>
    public static IReadOnlyList<string> Closure(IEnumerable<Type> anchors)
    {
        string frameworkDirectory = Path.GetFullPath(RuntimeEnvironment.GetRuntimeDirectory());
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<Assembly>(anchors.Select(t => t.Assembly));
        var paths = new List<string>();
        while (queue.Count > 0)
        {
            Assembly assembly = queue.Dequeue();
            if (!seen.Add(assembly.GetName().Name!) || assembly.Location.Length == 0 || assembly.Location.StartsWith(frameworkDirectory, StringComparison.Ordinal))
            {
                continue;
            }

            paths.Add(assembly.Location);
            foreach (AssemblyName name in assembly.GetReferencedAssemblies())
            {
                try
                {
                    queue.Enqueue(Assembly.Load(name));
                }
                catch (FileNotFoundException)
                {
                    // An optional dependency not carried here; the compiled code does not need it.
                }
            }
        }

        return paths.Order(StringComparer.Ordinal).ToList();
    }
}
