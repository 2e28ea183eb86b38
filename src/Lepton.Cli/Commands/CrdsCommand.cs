using System.CommandLine;
using System.Text;
using Lepton.Operator.Crds;

namespace Lepton.Cli.Commands;

/// <summary>
/// <c>lepton crds [--out DIR] [--check]</c>: writes the CustomResourceDefinitions generated from
/// the C# entity types (one <c>{plural}.{group}.yaml</c> per CRD), or with <c>--check</c> only
/// verifies that the files in DIR are up to date (exit code 1 if not).
/// </summary>
internal static class CrdsCommand
{
    /// <summary>The default output folder, relative to the working directory.</summary>
    public const string DefaultOutputDirectory = "crds";

    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o")
        {
            Description = "Folder to write the CRD YAML files to.",
            DefaultValueFactory = _ => DefaultOutputDirectory,
        };
        var check = new Option<bool>("--check")
        {
            Description = "Do not write; exit with code 1 if a file in the folder differs from what would be generated.",
        };
        var command = new Command("crds", "Write Lepton's CustomResourceDefinitions (generated from the C# types).")
        {
            output,
            check,
        };
        command.SetAction(parse => Run(parse.GetValue(output) ?? DefaultOutputDirectory, parse.GetValue(check), Console.Out, Console.Error));
        return command;
    }

    /// <summary>Generates every CRD and writes or checks it.</summary>
    /// <param name="directory">The output folder.</param>
    /// <param name="checkOnly">Only compare with the existing files.</param>
    /// <param name="stdout">Where progress is reported.</param>
    /// <param name="stderr">Where problems are reported.</param>
    /// <returns>0 on success, 1 when <paramref name="checkOnly"/> found a stale or missing file.</returns>
    internal static int Run(string directory, bool checkOnly, TextWriter stdout, TextWriter stderr)
    {
        var stale = 0;
        if (!checkOnly)
        {
            Directory.CreateDirectory(directory);
        }

        foreach (var entityType in LeptonCrds.EntityTypes)
        {
            var path = Path.Combine(directory, CrdGenerator.FileName(entityType));
            var yaml = CrdGenerator.GenerateYaml(entityType);
            var existing = File.Exists(path) ? File.ReadAllText(path) : null;
            var upToDate = string.Equals(existing, yaml, StringComparison.Ordinal);
            if (checkOnly)
            {
                if (upToDate)
                {
                    stdout.WriteLine($"up to date: {path}");
                }
                else
                {
                    stale++;
                    stderr.WriteLine($"{(existing is null ? "missing" : "out of date")}: {path} (run `{CrdGenerator.RegenerateCommand}`)");
                }
            }
            else if (upToDate)
            {
                stdout.WriteLine($"unchanged: {path}");
            }
            else
            {
                File.WriteAllText(path, yaml, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                stdout.WriteLine($"wrote: {path}");
            }
        }

        return stale == 0 ? 0 : 1;
    }
}
