namespace NhiGuard.Analyzers;

/// <summary>
/// Diagnostic ids and property names that the code fixes read. Compiled into NhiGuard.CodeFixes as
/// well (a linked file), since that assembly builds against an older Roslyn and cannot reference this one.
/// </summary>
internal static class DiagnosticIds
{
    public const string HardCodedCredential = "NHI001";
    public const string CredentialFormatInLiteral = "NHI002";
    public const string HardCodedSigningKey = "NHI003";
    public const string ConfigFileSecret = "NHI004";
    public const string OverBroadScope = "NHI101";
    public const string CachedTokenWithoutExpiry = "NHI201";
    public const string TokenWithoutExpiry = "NHI202";
    public const string LifetimeValidationDisabled = "NHI203";
    public const string ExcessiveLifetime = "NHI204";

    /// <summary>NHI001/NHI003 property: the setting the fix reads instead (<c>ClientSecret</c>, <c>JwtSigningKey</c>).</summary>
    public const string SettingNameProperty = "SettingName";

    /// <summary>NHI001/NHI003 property: "true" when the diagnostic's span is the whole value, so a fix can replace it.</summary>
    public const string ReplaceableProperty = "Replaceable";

    /// <summary>NHI002/NHI004 property: the catalog rule that matched.</summary>
    public const string CatalogRuleProperty = "RuleId";
}
