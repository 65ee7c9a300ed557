namespace Streaming.Hosting.Configuration;

/// <summary>Records which configuration section an options type is bound from.</summary>
internal sealed record ValidatedSection(Type OptionsType, string Path);
