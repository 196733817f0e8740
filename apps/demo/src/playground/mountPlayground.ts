import { initCpu } from '@dropkit/backend-cpu';
import { getBackend, setBackend } from '@tensorflow/tfjs-core';
import {
  DEFAULT_PLAYGROUND_PARAMS,
  PLAYGROUND_VARIANTS,
  type PlaygroundParams,
  readPlaygroundParams,
} from './playgroundVariants.ts';
import { renderVariants } from './renderVariants.ts';
import { buildTestImage } from './testImage.ts';

const IMAGE_SIZE = 96;

const STYLE = `
#playground .pg-controls { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
#playground .pg-controls label { display: flex; flex-direction: column; font-size: 0.85rem; }
#playground .pg-controls input { width: 7rem; }
#playground .pg-grid {
  display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 1rem;
  margin-top: 1rem;
}
#playground figure { margin: 0; }
#playground canvas {
  width: 192px; height: 192px; image-rendering: pixelated; background: #000;
  border: 1px solid #8884;
}
#playground figcaption { font-size: 0.8rem; max-width: 200px; }
#playground [data-role="pg-error"] { color: #c62828; font-weight: 600; }
#playground [data-role="pg-status"] { font-size: 0.8rem; opacity: 0.75; }
`;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined) el.setAttribute(key, value);
  }
  if (text !== undefined) el.textContent = text;
  return el;
}

function numberInput(
  id: string,
  label: string,
  value: number,
  attrs: Record<string, string>,
): { label: HTMLLabelElement; input: HTMLInputElement } {
  const wrapper = element('label', { for: id }, label);
  const input = element('input', { id, type: 'number', ...attrs });
  input.value = String(value);
  wrapper.append(input);
  return { label: wrapper, input };
}

/** A new seed, never the one shown: a reseed must always change the masks. */
function freshSeed(current: number): number {
  let seed = current;
  while (seed === current) seed = Math.floor(Math.random() * 2 ** 31);
  return seed;
}

/**
 * Fills the demo's `<section id="playground">`: controls (`#pg-seed`, `#pg-rate`, `#pg-block`,
 * `#pg-reseed`), and one captioned canvas per dropout variant showing what it does to a built-in
 * picture. The ops run on this thread's tfjs `cpu` backend, set up with `initCpu()`: training runs
 * in workers, so this thread's tfjs belongs to the playground alone. Each canvas carries
 * `data-variant`, `data-rendered` (the seed it last drew) and `data-kept` (the fraction of values
 * kept). Any change to a control re-renders; a bad value is reported in the section and the
 * canvases keep their last picture.
 *
 * @param root - the `#playground` section to fill (its previous content is replaced).
 * @example
 * ```ts
 * import { mountPlayground } from '@dropkit/demo/playground';
 * // In the page: the section the app provides.
 * const section = globalThis.document?.querySelector<HTMLElement>('#playground');
 * if (section) mountPlayground(section);
 * console.log(typeof mountPlayground); // function
 * ```
 */
export function mountPlayground(root: HTMLElement): void {
  const image = buildTestImage(IMAGE_SIZE);
  const defaults = DEFAULT_PLAYGROUND_PARAMS;

  const style = element('style', {}, STYLE);
  const heading = element('h2', {}, 'Op playground');
  const intro = element(
    'p',
    {},
    'What each @dropkit/ops dropout variant does to one picture, side by side. Every op gets the ' +
      'same seed, so a seed always gives the same masks (dropout and alpha dropout even share ' +
      'theirs); change the seed, the rate or the block size to redraw. Black is dropped.',
  );
  const seed = numberInput('pg-seed', 'Seed', defaults.seed, { min: '0', step: '1' });
  const rate = numberInput('pg-rate', 'Rate', defaults.rate, {
    min: '0',
    max: '0.95',
    step: '0.05',
  });
  const block = numberInput('pg-block', 'DropBlock block size', defaults.blockSize, {
    min: '1',
    max: String(IMAGE_SIZE),
    step: '1',
  });
  const reseed = element('button', { id: 'pg-reseed', type: 'button' }, 'New seed');
  const controls = element('div', { class: 'pg-controls' });
  controls.append(seed.label, reseed, rate.label, block.label);
  const error = element('p', { 'data-role': 'pg-error', role: 'alert' });
  error.hidden = true;
  const status = element('p', { 'data-role': 'pg-status' }, 'Starting the tfjs cpu backend...');

  const grid = element('div', { class: 'pg-grid' });
  const canvases = new Map<string, { canvas: HTMLCanvasElement; kept: HTMLElement }>();
  for (const variant of PLAYGROUND_VARIANTS) {
    const figure = element('figure', { class: 'pg-variant' });
    const canvas = element('canvas', {
      'data-variant': variant.name,
      width: String(IMAGE_SIZE),
      height: String(IMAGE_SIZE),
      role: 'img',
      'aria-label': `${variant.title} applied to the test picture`,
    });
    const caption = element('figcaption');
    const kept = element('span', { 'data-role': 'pg-kept' });
    caption.append(element('strong', {}, variant.title), ' ', kept, element('br'), variant.caption);
    figure.append(canvas, caption);
    grid.append(figure);
    canvases.set(variant.name, { canvas, kept });
  }
  root.replaceChildren(style, heading, intro, controls, error, status, grid);

  const showError = (message: string | null) => {
    error.hidden = message === null;
    error.textContent = message ?? '';
  };

  const draw = (params: PlaygroundParams) => {
    for (const render of renderVariants(image, params)) {
      const target = canvases.get(render.name);
      const context = target?.canvas.getContext('2d');
      if (!target || !context) continue;
      const { width, height, data } = render.picture;
      target.canvas.width = width;
      target.canvas.height = height;
      context.putImageData(new ImageData(new Uint8ClampedArray(data), width, height), 0, 0);
      target.canvas.dataset.kept = render.kept.toFixed(4);
      target.canvas.dataset.rendered = String(params.seed);
      target.kept.textContent =
        render.kept === 1 ? '' : `(kept ${(100 * render.kept).toFixed(1)}%)`;
    }
  };

  let backend: Promise<void> | null = null;
  const ensureBackend = () => {
    backend ??= initCpu().then(
      (report) => {
        status.textContent = `Ops run on this page's thread: ${report.description}.`;
      },
      (err: unknown) => {
        // A failed start is retried on the next change instead of being remembered.
        backend = null;
        throw err;
      },
    );
    return backend;
  };
  let scheduled = false;
  const render = async () => {
    scheduled = false;
    try {
      await ensureBackend();
      // Nothing else on this thread should switch tfjs away from cpu; if something did, the
      // playground takes it back rather than run its ops on a backend it did not set up.
      if (getBackend() !== 'cpu') await setBackend('cpu');
      const params = readPlaygroundParams(
        {
          seed: seed.input.valueAsNumber,
          rate: rate.input.valueAsNumber,
          blockSize: block.input.valueAsNumber,
        },
        IMAGE_SIZE,
      );
      draw(params);
      showError(null);
    } catch (err) {
      showError(err instanceof Error ? err.message : String(err));
    }
  };
  // Typing fires many input events: one render per frame is enough.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => void render());
  };

  for (const input of [seed.input, rate.input, block.input]) {
    input.addEventListener('input', schedule);
  }
  reseed.addEventListener('click', () => {
    seed.input.value = String(freshSeed(seed.input.valueAsNumber));
    schedule();
  });
  schedule();
}
