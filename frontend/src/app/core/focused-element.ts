/**
 * The element that has the keyboard focus, looking into open shadow roots: inside the widget's
 * shadow DOM, `document.activeElement` is only the widget's host element.
 */
export function focusedElement(root: DocumentOrShadowRoot = document): Element | null {
  let active = root.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
