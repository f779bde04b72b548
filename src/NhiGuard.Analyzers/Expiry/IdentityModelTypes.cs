using Microsoft.CodeAnalysis;

namespace NhiGuard.Analyzers.Expiry;

/// <summary>The Microsoft.IdentityModel types the expiry rules look at, resolved once per compilation.</summary>
internal sealed class IdentityModelTypes
{
    private IdentityModelTypes(Compilation compilation)
    {
        TokenValidationParameters = compilation.GetTypeByMetadataName("Microsoft.IdentityModel.Tokens.TokenValidationParameters");
        SecurityTokenDescriptor = compilation.GetTypeByMetadataName("Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor");
        TokenHandler = compilation.GetTypeByMetadataName("Microsoft.IdentityModel.Tokens.TokenHandler");
        JwtSecurityToken = compilation.GetTypeByMetadataName("System.IdentityModel.Tokens.Jwt.JwtSecurityToken");
        JwtSecurityTokenHandler = compilation.GetTypeByMetadataName("System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler");
    }

    public INamedTypeSymbol? TokenValidationParameters { get; }
    public INamedTypeSymbol? SecurityTokenDescriptor { get; }
    public INamedTypeSymbol? TokenHandler { get; }
    public INamedTypeSymbol? JwtSecurityToken { get; }
    public INamedTypeSymbol? JwtSecurityTokenHandler { get; }

    /// <summary>The types, or null when the compilation references none of them (the rules then cost nothing).</summary>
    public static IdentityModelTypes? Resolve(Compilation compilation)
    {
        var types = new IdentityModelTypes(compilation);
        return types.TokenValidationParameters is null && types.SecurityTokenDescriptor is null && types.JwtSecurityToken is null ? null : types;
    }

    /// <summary>Whether <paramref name="type"/> is <paramref name="expected"/> or derives from it.</summary>
    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected)
    {
        for (ITypeSymbol? t = type; t is not null && expected is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, expected))
            {
                return true;
            }
        }

        return false;
    }
}
