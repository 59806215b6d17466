using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PneumoniaPortal.Web;

/// <summary>
/// The one place a configuration section is read. Every section is an options class, bound as <c>IOptions&lt;T&gt;</c>
/// and validated on start with the class's own sentences (<see cref="IValidatedOptions"/>).
/// </summary>
public static class PortalSettings
{
    /// <summary>
    /// Binds <paramref name="section"/> as <c>IOptions&lt;T&gt;</c> and returns the same values now, for decisions taken
    /// while services are registered. A wrong value stops the start here, before the host is built, as
    /// "PneumoniaPortal cannot start: {sentence}". Asked again, it answers the values it read the first time.
    /// </summary>
    public static T Settings<T>(this WebApplicationBuilder builder, string section) where T : class, new()
    {
        var known = ((IHostApplicationBuilder)builder).Properties;
        if (known.TryGetValue(typeof(T), out var read)) return (T)read;
        builder.Services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, SentenceValidator<T>>());
        T value;
        try
        {
            value = builder.Configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            // A value of the wrong kind (Training__Nice=abc): the binder's message names the setting and the type.
            throw new PortalStartupException($"{e.Message} Correct the setting, or remove it to use its default.", e);
        }
        if (value is IValidatedOptions validated && validated.Validate().FirstOrDefault() is { } problem) throw new PortalStartupException(problem);
        known[typeof(T)] = value;
        return value;
    }

    /// <summary>
    /// What <c>ValidateOnStart</c> found wrong, as a start-up problem in the same words (every section is also checked as
    /// it is read; this catches one that a later change forgets to read that way).
    /// </summary>
    public static void ValidateAll(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e)
        {
            throw new PortalStartupException(e.Failures.First(), e);
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault() is OptionsValidationException o)
        {
            throw new PortalStartupException(o.Failures.First(), e);
        }
    }

    sealed class SentenceValidator<T> : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            options is IValidatedOptions validated && validated.Validate().ToList() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail(problems)
                : ValidateOptionsResult.Success;
    }
}
