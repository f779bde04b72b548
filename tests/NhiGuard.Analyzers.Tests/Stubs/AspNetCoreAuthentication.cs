// Stand-ins for the ASP.NET Core authentication handler packages that are not part of the shared
// framework (OpenIdConnect, Google, Facebook, Twitter). OAuthOptions, RemoteAuthenticationOptions
// and AuthenticationBuilder are the real ones from Microsoft.AspNetCore.App.
using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;

namespace Microsoft.AspNetCore.Authentication.OpenIdConnect
{
    public class OpenIdConnectOptions : RemoteAuthenticationOptions
    {
        public string? Authority { get; set; }
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
        public ICollection<string> Scope { get; } = new HashSet<string>();
    }
}

namespace Microsoft.AspNetCore.Authentication.Google
{
    public class GoogleOptions : OAuthOptions
    {
    }
}

namespace Microsoft.AspNetCore.Authentication.Facebook
{
    public class FacebookOptions : OAuthOptions
    {
        public string AppId { get => ClientId; set => ClientId = value; }
        public string AppSecret { get => ClientSecret; set => ClientSecret = value; }
    }
}

namespace Microsoft.AspNetCore.Authentication.Twitter
{
    public class TwitterOptions : RemoteAuthenticationOptions
    {
        public string? ConsumerKey { get; set; }
        public string? ConsumerSecret { get; set; }
    }
}

namespace Microsoft.Extensions.DependencyInjection
{
    using Microsoft.AspNetCore.Authentication.Facebook;
    using Microsoft.AspNetCore.Authentication.Google;
    using Microsoft.AspNetCore.Authentication.OpenIdConnect;

    public static class AuthenticationHandlerStubExtensions
    {
        public static AuthenticationBuilder AddOpenIdConnect(this AuthenticationBuilder builder, Action<OpenIdConnectOptions> configureOptions) => builder;

        public static AuthenticationBuilder AddGoogle(this AuthenticationBuilder builder, Action<GoogleOptions> configureOptions) => builder;

        public static AuthenticationBuilder AddFacebook(this AuthenticationBuilder builder, Action<FacebookOptions> configureOptions) => builder;
    }
}
