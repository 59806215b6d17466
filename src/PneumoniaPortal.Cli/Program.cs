using PneumoniaPortal.Cli;

try
{
    return await Commands.RunAsync(args, Console.Out);
}
catch (CliException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine("Run `pneumonia help` for the commands.");
    return 2;
}
