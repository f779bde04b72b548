using NhiGuard.Cli;

return CliApp.Run(args);
