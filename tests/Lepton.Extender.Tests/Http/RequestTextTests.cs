using System.Text;
using Lepton.Extender.Http;

namespace Lepton.Extender.Tests.Http;

public sealed class RequestTextTests
{
    [Theory]
    [InlineData("{\"a\":\"plain\"}")]
    [InlineData("{\"a\":\"caf\u00e9 \\u00e9 \\\\u d800\"}")]
    [InlineData("{\"a\":\"\\ud83d\\ude00 pair\"}")]
    [InlineData("{\"a\":\"\\\\uD800 is an escaped backslash, not an escape\"}")]
    [InlineData("")]
    public void FindInvalid_ValidText_Null(string json) =>
        Assert.Null(RequestText.FindInvalid(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("{\"a\":\"\\uD800\"}", 6)]
    [InlineData("{\"a\":\"x\\udc00\"}", 7)]
    [InlineData("{\"a\":\"\\uD800\\u0041\"}", 6)]
    [InlineData("{\"a\":\"\\ud83d\\ude00\\uDBFF\"}", 18)]
    public void FindInvalid_LoneSurrogateEscape_NamesTheByte(string json, int at) =>
        Assert.Equal($"request body: \\u escape of an unpaired UTF-16 surrogate at byte {at}", RequestText.FindInvalid(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void FindInvalid_InvalidUtf8_NamesTheByteAndNotTheBytes()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":\"ok\u00e9 then bad\"}");
        var at = Array.IndexOf(bytes, (byte)'b');
        bytes[at] = 0xC3;

        var sut = RequestText.FindInvalid(bytes);

        Assert.Equal($"request body: invalid UTF-8 at byte {at}", sut);
    }

    [Fact]
    public void FindInvalid_InvalidByteFarIntoALargeBody_NamesTheByte()
    {
        var bytes = Encoding.UTF8.GetBytes("[\"" + new string('x', 300_000) + "\"]");
        bytes[250_001] = 0xFF;

        Assert.Equal("request body: invalid UTF-8 at byte 250001", RequestText.FindInvalid(bytes));
    }
}
