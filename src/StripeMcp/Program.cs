StripeMcp.Hosting.StartupTrace.Mark("main");
return await StripeMcp.Cli.CliApp.RunAsync(args);
