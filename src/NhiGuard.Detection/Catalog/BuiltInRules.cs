using System.Collections.Generic;

namespace NhiGuard.Detection;

/// <summary>The built-in rule catalog, generated from <c>rules/*.yaml</c> into <c>BuiltInRules.g.cs</c>.</summary>
public static partial class BuiltInRules
{
    public static IReadOnlyList<Rule> All { get; } = Create();
}
