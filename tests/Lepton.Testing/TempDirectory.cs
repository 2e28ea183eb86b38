namespace Lepton.Testing;

/// <summary>A fresh temporary directory, deleted with its contents on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates <c>lepton-tests-*</c> under the system temporary folder.</summary>
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("lepton-tests-").FullName;
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside the directory (nothing is created).</summary>
    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a file inside the directory and returns its full path.</summary>
    public string File(string name, string content)
    {
        var path = Combine(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
