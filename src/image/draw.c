/* Drawing rectangle outlines and circles into 8-bit images, clipped at the
 * borders. Colours go to channels 0, 1, 2 in memory order. */
#include "image/image.h"

static void put_pixel(hf_image *image, int x, int y, hf_image_color color)
{
    uint8_t *pixel;
    int channels = image->channels < 3 ? image->channels : 3;

    if (x < 0 || y < 0 || x >= image->width || y >= image->height)
        return;
    pixel = image->data + (size_t)y * image->stride + (size_t)x * image->channels;
    for (int c = 0; c < channels; c++)
        pixel[c] = color.value[c];
}

/* Fills the half-open box [x0, x1) x [y0, y1) after clipping it. */
static void fill_box(hf_image *image, long x0, long y0, long x1, long y1, hf_image_color color)
{
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > image->width)
        x1 = image->width;
    if (y1 > image->height)
        y1 = image->height;
    for (long y = y0; y < y1; y++) {
        for (long x = x0; x < x1; x++)
            put_pixel(image, (int)x, (int)y, color);
    }
}

void hf_image_draw_rect(hf_image *image, int x, int y, int width, int height,
                        hf_image_color color, int thickness)
{
    long left = x, top = y;
    long right = (long)x + width, bottom = (long)y + height;
    long band;

    if (width <= 0 || height <= 0)
        return;
    band = thickness < 1 ? 1 : thickness;
    fill_box(image, left, top, right, top + band, color);
    fill_box(image, left, bottom - band, right, bottom, color);
    fill_box(image, left, top, left + band, bottom, color);
    fill_box(image, right - band, top, right, bottom, color);
}

void hf_image_draw_circle(hf_image *image, int cx, int cy, int radius, hf_image_color color,
                          int thickness)
{
    double inner, outer;
    long long reach, x0, x1, y0, y1;

    if (radius < 0)
        return;
    if (thickness < 0) {
        inner = -1.0;
        outer = radius + 0.5;
    } else {
        double half = (thickness < 1 ? 1 : thickness) / 2.0;

        inner = radius - half;
        outer = radius + half;
    }

    /* Visit only the part of the bounding box inside the image, so a huge
     * radius costs no more than the image size. */
    reach = (long long)outer + 1;
    x0 = (long long)cx - reach < 0 ? 0 : (long long)cx - reach;
    y0 = (long long)cy - reach < 0 ? 0 : (long long)cy - reach;
    x1 = (long long)cx + reach >= image->width ? image->width - 1 : (long long)cx + reach;
    y1 = (long long)cy + reach >= image->height ? image->height - 1 : (long long)cy + reach;
    for (long long y = y0; y <= y1; y++) {
        double dy = (double)(y - cy);

        for (long long x = x0; x <= x1; x++) {
            double dx = (double)(x - cx);
            double distance_sq = dx * dx + dy * dy;

            if (distance_sq <= outer * outer
                && (inner < 0.0 || distance_sq >= inner * inner))
                put_pixel(image, (int)x, (int)y, color);
        }
    }
}
