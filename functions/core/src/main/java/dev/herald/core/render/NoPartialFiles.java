package dev.herald.core.render;

import com.github.jknack.handlebars.io.TemplateLoader;
import com.github.jknack.handlebars.io.TemplateSource;

import java.io.FileNotFoundException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Where Handlebars would load a partial from files or the class path: nowhere. A template's
 * partials are the inline ones it defines itself, as in SES; a name it does not define is not found.
 */
final class NoPartialFiles implements TemplateLoader {

    @Override
    public TemplateSource sourceAt(String location) throws FileNotFoundException {
        throw new FileNotFoundException("no partial '" + location + "' is defined in this template");
    }

    @Override
    public String resolve(String location) {
        return location;
    }

    @Override
    public String getPrefix() {
        return "";
    }

    @Override
    public String getSuffix() {
        return "";
    }

    @Override
    public void setPrefix(String prefix) {
        // partials are never loaded, so they have no prefix
    }

    @Override
    public void setSuffix(String suffix) {
        // partials are never loaded, so they have no suffix
    }

    @Override
    public void setCharset(Charset charset) {
        // partials are never loaded, so they have no charset
    }

    @Override
    public Charset getCharset() {
        return StandardCharsets.UTF_8;
    }
}
