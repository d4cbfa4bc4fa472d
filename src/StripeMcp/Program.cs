return await StripeMcp.Cli.CliApp.RunAsync(args);
