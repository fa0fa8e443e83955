import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Renders a resolved ARN the way cdk-nag names it in an `AwsSolutions-IAM5[Resource::...]` finding. */
function nagName(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const o = node as Record<string, unknown>;
  if (Array.isArray(o['Fn::Join'])) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(nagName).join(delimiter);
  }
  if ('Fn::Sub' in o) return nagName(o['Fn::Sub']);
  if (Array.isArray(o['Fn::GetAtt'])) {
    const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
    return `<${nagName(resource)}.${nagName(attribute)}>`;
  }
  if ('Ref' in o) return `<${nagName(o.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * Acknowledges cdk-nag's wildcard-resource finding for exactly these ARNs on `scope` (a role),
 * so any other wildcard added later still fails synth.
 */
export function acknowledgeWildcards(scope: IConstruct, arns: string[], reason: string): void {
  const stack = Stack.of(scope);
  for (const arn of arns) {
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagName(stack.resolve(arn))}]`,
      reason,
    });
  }
}
